/**
 * Subtree listing at province scale (issue 2): BENCH_TREE_UNITS units (default 200,000: 1 province, 11 cities,
 * 170 counties, townships, villages) in SQLite, then a dashboard page of 100 units (`units(underId, phase)`) through
 * the repository's fixed-depth ancestor columns, side by side with a recursive CTE over parent_id — the reference a
 * tree table would otherwise use. Prints one JSON object: milliseconds per page for each, and the ratio.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '../src/common/ids.js';
import { loadConfig } from '../src/config/app-config.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db } from '../src/database/db.js';
import { ancestorsFor } from '../src/tree/unit-tree.js';
import { UnitsRepository, type UnitRow } from '../src/tree/units.repository.js';

const TOTAL = Number(process.env.BENCH_TREE_UNITS ?? 200_000);
if (!Number.isInteger(TOTAL) || TOTAL < 1000 || TOTAL > 2_000_000)
  throw new Error('BENCH_TREE_UNITS must be a whole number from 1,000 to 2,000,000');
const PHASES = ['registered', 'stage1', 'lookBack', 'reforging', 'stage1Complete'];

function unit(parent: UnitRow | null, kind: string, i: number): UnitRow {
  const id = uuidv7(1_393_632_000_000 + i);
  return {
    id,
    name: `单位${i}`,
    kind,
    parentId: parent?.id ?? null,
    depth: parent ? parent.depth + 1 : 0,
    ancestors: ancestorsFor(id, parent),
    leaderCount: 0,
    phase: PHASES[i % PHASES.length],
    createdAt: 0,
    updatedAt: 0,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-tree-bench-'));
  const dataSource = await openDatabase(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'tree.db')}` }).database);
  const db = new Db(dataSource);
  const units = new UnitsRepository(db);
  try {
    // province → 11 cities → ~15 counties each → townships → villages, until TOTAL
    const rows: UnitRow[] = [];
    let i = 0;
    const province = unit(null, 'LEADERSHIP_BODY', i++);
    rows.push(province);
    const cities = Array.from({ length: 11 }, () => unit(province, 'LEADERSHIP_BODY', i++));
    rows.push(...cities);
    const counties = cities.flatMap((c) => Array.from({ length: 15 }, () => unit(c, 'LEADERSHIP_BODY', i++)));
    rows.push(...counties);
    const villagesPerTownship = 20;
    const townshipsPerCounty = Math.max(
      1,
      Math.ceil((TOTAL - rows.length) / counties.length / (villagesPerTownship + 1)),
    );
    for (const county of counties) {
      for (let t = 0; t < townshipsPerCounty && rows.length < TOTAL; t++) {
        const township = unit(county, 'TOWNSHIP_STREET', i++);
        rows.push(township);
        for (let v = 0; v < villagesPerTownship && rows.length < TOTAL; v++)
          rows.push(unit(township, 'GRASSROOTS', i++));
      }
    }
    for (let k = 0; k < rows.length; k += 5000)
      await db.transaction(async (tx) => {
        for (const r of rows.slice(k, k + 5000)) await units.insert(tx, r);
      });
    const writer = (dataSource.driver as unknown as { databaseConnection: { exec(sql: string): void } })
      .databaseConnection;
    writer.exec('ANALYZE');

    const cte = (rootId: string, phase: string, afterId: string) =>
      db.query(
        `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE parent_id = ? UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
         SELECT u.* FROM units u JOIN sub ON sub.id = u.id WHERE u.phase = ? AND u.id > ? ORDER BY u.id LIMIT 101`,
        [rootId, phase, afterId],
      );
    const time = async (fn: () => Promise<unknown>, runs: number) => {
      await fn();
      const started = process.hrtime.bigint();
      for (let r = 0; r < runs; r++) await fn();
      return Number(process.hrtime.bigint() - started) / runs / 1e6;
    };
    const county = counties[Math.floor(counties.length / 2)];
    const cases = [
      { scope: 'province', root: province },
      { scope: 'city', root: cities[5] },
      { scope: 'county', root: county },
    ];
    const results = [];
    for (const c of cases) {
      const middle = rows[Math.floor(rows.length / 2)].id;
      const service = await time(
        () => units.page({ under: { id: c.root.id, depth: c.root.depth }, phase: 'stage1' }, 100, null),
        200,
      );
      const serviceDeep = await time(
        () => units.page({ under: { id: c.root.id, depth: c.root.depth }, phase: 'stage1' }, 100, middle),
        200,
      );
      const reference = await time(() => cte(c.root.id, 'stage1', ''), c.scope === 'province' ? 3 : 20);
      results.push({
        scope: c.scope,
        fixedDepthAncestorsMsPerPage: Number(service.toFixed(3)),
        fixedDepthAncestorsMsPerPageMidway: Number(serviceDeep.toFixed(3)),
        recursiveCteMsPerPage: Number(reference.toFixed(3)),
        speedup: Math.round(reference / service),
      });
    }
    console.log(
      JSON.stringify(
        { bench: 'subtree page of 100 units by phase', database: 'sqlite', units: rows.length, results },
        null,
        2,
      ),
    );
  } finally {
    await db.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
