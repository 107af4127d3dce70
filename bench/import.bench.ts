/**
 * The importer's secondary indexes, filled row by row against built once after the load, side by side in one run
 * (`npm run bench:import [-- --units N]`, default 50,000; BENCH_PG=0 skips PostgreSQL): each round imports the same
 * generated file into a fresh database once each way, alternating, and prints the rates and their ratio.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { CountryImporter, type IndexPolicy } from '../src/country/country-import.js';
import { CountryLoadRepository } from '../src/country/country-load.repository.js';
import { generateCountry } from '../src/country/country-shape.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db } from '../src/database/db.js';

const arg = process.argv.indexOf('--units');
const UNITS = Number(arg > 0 ? process.argv[arg + 1] : 50_000);
const ROUNDS = 2;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function importOnce(kind: 'sqlite' | 'postgres', file: string, dir: string, indexes: IndexPolicy) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = kind === 'sqlite' ? `sqlite:${join(dir, `${schema}.db`)}` : `${PG_URL}?schema=${schema}`;
  const dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database);
  const db = new Db(dataSource);
  try {
    const result = await new CountryImporter(new CountryLoadRepository(db), () => Date.now(), { indexes }).importFile(
      file,
      'ndjson',
    );
    return result.units / result.seconds;
  } finally {
    await db.close();
    await dataSource.destroy();
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    } else rmSync(join(dir, `${schema}.db`), { force: true });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-import-bench-'));
  try {
    const file = join(dir, 'country.ndjson');
    writeFileSync(file, [...generateCountry(UNITS, 1)].map((u) => JSON.stringify(u)).join('\n') + '\n');
    const results = [];
    for (const kind of ['sqlite', 'postgres'] as const) {
      if (kind === 'postgres' && process.env.BENCH_PG === '0') continue;
      let during = 0;
      let after = 0;
      for (let r = 0; r < ROUNDS; r++) {
        during += (await importOnce(kind, file, dir, 'during')) / ROUNDS;
        after += (await importOnce(kind, file, dir, 'after')) / ROUNDS;
      }
      results.push({
        database: kind,
        unitsPerSecondIndexesDuring: Math.round(during),
        unitsPerSecondIndexesAfter: Math.round(after),
        afterOverDuring: Number((after / during).toFixed(2)),
      });
    }
    process.stdout.write(JSON.stringify({ units: UNITS, rounds: ROUNDS, results }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
