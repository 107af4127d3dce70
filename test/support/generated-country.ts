import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountryImporter } from '../../src/country/country-import.js';
import { CountryLoadRepository } from '../../src/country/country-load.repository.js';
import { generateCountry, type CountryUnit } from '../../src/country/country-shape.js';
import type { Db, SqlParam } from '../../src/database/db.js';

/** A generated country of `count` units imported into `db` (every unit created at `createdAt`); its units, in order. */
export async function importGeneratedCountry(
  db: Db,
  count: number,
  seed: number,
  createdAt: number,
): Promise<CountryUnit[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-country-'));
  try {
    const file = join(dir, 'country.ndjson');
    const units = [...generateCountry(count, seed)];
    writeFileSync(file, units.map((u) => JSON.stringify(u)).join('\n') + '\n');
    await new CountryImporter(new CountryLoadRepository(db), () => createdAt).importFile(file, 'ndjson');
    return units;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/**
 * PostgreSQL runs the statement under EXPLAIN ANALYZE: the rows of `table` it read (kept or filtered out) and those it
 * read only to filter out, over every node of its plan.
 */
export async function rowsReadOf(
  db: Db,
  sql: string,
  params: SqlParam[],
  table: string,
): Promise<{ read: number; filtered: number }> {
  const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  const count = (node: PlanNode): { read: number; filtered: number } => {
    const loops = node['Actual Loops'] ?? 1;
    const removed = (node['Rows Removed by Filter'] ?? 0) * loops;
    const own =
      node['Relation Name'] === table
        ? { read: (node['Actual Rows'] ?? 0) * loops + removed, filtered: removed }
        : { read: 0, filtered: 0 };
    for (const child of node.Plans ?? []) {
      const sub = count(child);
      own.read += sub.read;
      own.filtered += sub.filtered;
    }
    return own;
  };
  return count(row['QUERY PLAN'][0].Plan);
}
