import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNIT_KINDS } from '../../machines/index.js';
import { CountryImporter } from '../../src/country/country-import.js';
import { CountryLoadRepository } from '../../src/country/country-load.repository.js';
import { generateCountry } from '../../src/country/country-shape.js';
import { ActivityRepository } from '../../src/oversight/activity.repository.js';
import { laggardsQuery, type LaggardsAsked } from '../../src/oversight/laggards-query.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { TEST_ON_POSTGRES } from '../support/test-database.js';

const UNITS = 3_000;
const RARE = 'LEADERSHIP_BODY';
const DAY = 86_400_000;

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** PostgreSQL: the rows of unit_activity the statement read, kept or filtered out, over every node of its plan. */
function rowsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'unit_activity'
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

describe('laggards of one kind read one index range, however rare the kind in a large subtree', () => {
  const medium = useMediumDatabase();
  let root: { id: string; depth: number };
  let now: number;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookback-kind-'));
    try {
      const file = join(dir, 'country.ndjson');
      const units = [...generateCountry(UNITS, 11)];
      writeFileSync(file, units.map((u) => JSON.stringify(u)).join('\n') + '\n');
      const created = Date.UTC(2026, 0, 1);
      await new CountryImporter(new CountryLoadRepository(medium.db), () => created).importFile(file, 'ndjson');
      now = created + 30 * DAY;
      root = { id: units[0].id, depth: 0 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
        const [row] = await medium.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
          params,
        );
        expect({ kind, read: rowsRead(row['QUERY PLAN'][0].Plan) <= most }).toEqual({ kind, read: true });
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
