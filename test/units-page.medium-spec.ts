import { PHASES, UNIT_KINDS } from '../machines/index.js';
import { UnitsRepository, type UnitFilter, type UnitRow } from '../src/tree/units.repository.js';
import { unitsPageIds } from '../src/tree/units-page-query.js';
import { importGeneratedCountry, rowsReadOf } from './support/generated-country.js';
import { useMediumDatabase } from './support/medium-database.js';
import { TEST_ON_POSTGRES } from './support/test-database.js';

const UNITS = 2_000;

describe('a page of units reads along an index no further than the page, whatever the filters', () => {
  const medium = useMediumDatabase();
  let all: UnitRow[];
  let units: UnitsRepository;

  beforeAll(async () => {
    await importGeneratedCountry(medium.db, UNITS, 21, Date.UTC(2026, 0, 1));
    // every phase present, spread over the tree by id (the page reads only the units' own columns and state)
    await medium.db.transaction(async (tx) => {
      const ids = await tx.query<{ id: string }>('SELECT id FROM units ORDER BY id');
      for (const [i, { id }] of ids.entries())
        if (i % 3 !== 0) await tx.run('UPDATE units SET phase = ? WHERE id = ?', [PHASES[(i * 7) % PHASES.length], id]);
      if (tx.dialect === 'postgres') await tx.run('ANALYZE units');
    });
    units = new UnitsRepository(medium.db);
    all = await units.findByIds((await medium.db.query<{ id: string }>('SELECT id FROM units')).map((r) => r.id));
    all.sort((a, b) => (a.id < b.id ? -1 : 1));
  });

  /** What the page must hold: every unit the filter admits, in id order (computed here, not by the database). */
  const expected = (filter: UnitFilter) =>
    all.filter(
      (u) =>
        (!filter.parentId || u.parentId === filter.parentId) &&
        (!filter.under || (u.ancestors[filter.under.depth] === filter.under.id && u.id !== filter.under.id)) &&
        (!filter.scope || u.ancestors[filter.scope.depth] === filter.scope.id) &&
        (!filter.kind || u.kind === filter.kind) &&
        (!filter.phase || u.phase === filter.phase),
    );

  const filters = (): [string, UnitFilter][] => {
    const county = all.find((u) => u.depth === 2)!;
    const township = all.find((u) => u.depth === 3 && u.ancestors[2] === county.id)!;
    const root = all.find((u) => u.depth === 0)!;
    return [
      ['nothing', {}],
      ['a phase', { phase: 'stage1' }],
      ['a kind', { kind: 'GRASSROOTS' }],
      ['a kind and a phase', { kind: 'NON_PUBLIC_SOCIAL', phase: 'registered' }],
      ['under the root', { under: { id: root.id, depth: 0 } }],
      ['under a county, a kind', { under: { id: county.id, depth: 2 }, kind: 'GRASSROOTS' }],
      ['under a county, a phase', { under: { id: county.id, depth: 2 }, phase: 'lookBack' }],
      [
        'under the root, a rare kind and a phase',
        { under: { id: root.id, depth: 0 }, kind: 'LEADERSHIP_BODY', phase: 'registered' },
      ],
      ['a scope (its root included)', { scope: { id: township.id, depth: 3 } }],
      ['a parent, a kind', { parentId: township.id, kind: 'GRASSROOTS' }],
      [
        'a parent under a county, a phase',
        { parentId: township.id, under: { id: county.id, depth: 2 }, phase: 'stage1' },
      ],
      ['a kind nobody has', { under: { id: root.id, depth: 0 }, kind: 'WINDOW_SERVICE', phase: 'nonsense' }],
    ];
  };

  it('pages of 7 through each filter hold exactly the units it admits, in id order', async () => {
    for (const [name, filter] of filters()) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 1_000; guard++) {
        const page = await units.page(filter, 7, after);
        seen.push(...page.slice(0, 7).map((u) => u.id));
        if (page.length <= 7) break;
        after = page[6].id;
      }
      expect({ name, seen }).toEqual({ name, seen: expected(filter).map((u) => u.id) });
    }
  });

  (TEST_ON_POSTGRES ? it : it.skip)(
    'reads no more rows of units than its ranges hold pages (PostgreSQL: EXPLAIN ANALYZE)',
    async () => {
      for (const [name, filter] of filters()) {
        if (filter.parentId) continue; // a parent's children are read and filtered: as many as it has
        const ranges = (filter.kind ? 1 : UNIT_KINDS.length) * (filter.phase ? 1 : PHASES.length);
        const ids = unitsPageIds(filter, 20, null);
        const sql = `SELECT u.id FROM units u WHERE ${ids.conditions.join(' AND ')}`;
        // each range reads at most a page (21), the page's rows are read again by id; a row is read only to be
        // filtered out when it is the subtree's root (`id <> ?` is no index condition), once per range at most
        const { read, filtered } = await rowsReadOf(medium.db, sql, ids.params, 'units');
        expect({ name, read: read <= ranges * 21 + 21, filtered: filtered <= ranges }).toEqual({
          name,
          read: true,
          filtered: true,
        });
      }
    },
  );

  (TEST_ON_POSTGRES ? it.skip : it)(
    'every range is a search of an index in id order, nothing sorted whole (SQLite: EXPLAIN QUERY PLAN)',
    async () => {
      for (const [name, filter] of filters()) {
        if (filter.parentId) continue;
        const ids = unitsPageIds(filter, 20, null);
        const plan = await medium.db.query<{ detail: string }>(
          `EXPLAIN QUERY PLAN SELECT u.id FROM units u WHERE ${ids.conditions.join(' AND ')}`,
          ids.params,
        );
        const details = plan.map((p) => p.detail);
        const reads = details.filter((d) => /^(SCAN|SEARCH) units/.test(d));
        expect({
          name,
          scans: reads.filter(
            (d) =>
              !/^SEARCH units USING COVERING INDEX|^SCAN units USING COVERING INDEX sqlite_autoindex_units_1$/.test(d),
          ),
        }).toEqual({ name, scans: [] });
        // a range in index order is not sorted itself: SQLite sorts only what each range gives the merge (at most a
        // page); a sort right after reading units means a range was read whole to be sorted
        const sortedReads = details.filter((d, i) => d.includes('TEMP B-TREE') && /^SEARCH units/.test(details[i - 1]));
        expect({ name, sortedReads }).toEqual({ name, sortedReads: [] });
      }
    },
  );
});
