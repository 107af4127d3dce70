import { UNIT_KINDS } from '../../machines/index.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { laggardsQuery, type LaggardsAsked } from '../../src/oversight/laggards-query.js';
import { importGeneratedCountry, rowsReadOf } from '../support/generated-country.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { TEST_ON_POSTGRES } from '../support/test-database.js';

const UNITS = 3_000;
const RARE = 'LEADERSHIP_BODY';
const DAY = 86_400_000;

describe('laggards of one kind read one index range, however rare the kind in a large subtree', () => {
  const medium = useMediumDatabase();
  let root: { id: string; depth: number };
  let now: number;

  beforeAll(async () => {
    const created = Date.UTC(2026, 0, 1);
    const units = await importGeneratedCountry(medium.db, UNITS, 11, created);
    now = created + 30 * DAY;
    root = { id: units[0].id, depth: 0 };
    // every unit of the rare kind is done: it has no laggard, and every other unit of the subtree is one
    await medium.db.transaction(async (tx) => {
      await tx.run('UPDATE unit_activity SET done = 1 WHERE kind = ?', [RARE]);
      if (tx.dialect === 'postgres') await tx.run('ANALYZE unit_activity');
    });
    if (medium.db.dialect === 'sqlite') await medium.db.transaction((tx) => tx.run('ANALYZE'));
  });

  const asked = (kind: string | null): LaggardsAsked => ({
    root,
    idleBefore: now - 7 * DAY,
    kind,
    limit: 100,
    after: null,
  });

  it('answers: none of the rare kind; the first page of all kinds, oldest idleness first', async () => {
    const activity = new ActivityRepository(medium.db);
    expect(await activity.laggards(root, now - 7 * DAY, RARE, 100, null)).toEqual([]);
    const all = await activity.laggards(root, now - 7 * DAY, null, 100, null);
    expect(all).toHaveLength(101);
    const kinds = await medium.db.query<{ kind: string }>(
      `SELECT DISTINCT kind FROM unit_activity WHERE unit_id IN (${all.map(() => '?').join(', ')})`,
      all.map((l) => l.unitId),
    );
    expect(kinds.map((k) => k.kind)).not.toContain(RARE);
    const sorted = [...all].sort((a, b) => a.idleSince - b.idleSince || (a.unitId < b.unitId ? -1 : 1));
    expect(all).toEqual(sorted);
  });

  (TEST_ON_POSTGRES ? it : it.skip)(
    'reads no row of the subtree beyond the page (PostgreSQL: EXPLAIN ANALYZE)',
    async () => {
      for (const [kind, most] of [
        [RARE, 0],
        [null, UNIT_KINDS.length * 101],
      ] as const) {
        const { sql, params } = laggardsQuery('postgres', asked(kind));
        const { read } = await rowsReadOf(medium.db, sql, params, 'unit_activity');
        expect({ kind, read: read <= most }).toEqual({ kind, read: true });
      }
    },
  );

  (TEST_ON_POSTGRES ? it.skip : it)(
    "each kind's range searches the level's index on kind (SQLite: EXPLAIN QUERY PLAN)",
    async () => {
      const search =
        /^SEARCH a USING (COVERING )?INDEX ix_unit_activity_l0_kind \(l0_id=\? AND done=\? AND kind=\? AND idle_since<\?\)$/;
      for (const [kind, ranges] of [
        [RARE, 1],
        [null, UNIT_KINDS.length],
      ] as const) {
        const { sql, params } = laggardsQuery('sqlite', asked(kind));
        const plan = await medium.db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
        const reads = plan
          .map((p) => p.detail)
          .filter((d) => / a /.test(`${d} `) && !d.includes('unit_activity_pending'));
        expect({ kind, reads }).toEqual({
          kind,
          reads: Array.from({ length: ranges }, () => expect.stringMatching(search)),
        });
      }
    },
  );
});
