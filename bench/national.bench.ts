/**
 * The whole country on one box (issue 12): `npm run bench:national [-- --units N]` (default 200,000; 4,300,000 for
 * the full country) on SQLite and on PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test; a
 * fresh schema, dropped after; BENCH_PG=0 skips it). For each: the import's rate and the process's peak memory,
 * bytes per unit, p99 of the reads the office makes, durable LAUNCHes with rollups maintained against the same
 * writes without them (interleaved, same run), and on PostgreSQL 8 concurrent writers' transitions/s and deadlocks.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Principal } from '../src/auth/principal.js';
import { loadConfig } from '../src/config/app-config.js';
import { generateCountry } from '../src/country/country-shape.js';
import { CountryImporter } from '../src/country/country-import.js';
import { CountryLoadRepository } from '../src/country/country-load.repository.js';
import { LOAD_TABLES } from '../src/country/load-tables.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db } from '../src/database/db.js';
import { nationalServices } from './national-services.js';
import { launchChainTo, measureWrites } from './national-writes.js';

const ADMIN: Principal = { sub: 'bench', role: 'ADMIN', scopeUnitId: null };
const arg = process.argv.indexOf('--units');
const UNITS = Number(arg > 0 ? process.argv[arg + 1] : 200_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const READS = Number(process.env.BENCH_READS ?? 500);
const WRITERS = 8;
/** LAUNCHes per side and measure (with/without rollups; plan + LAUNCH, LAUNCH alone) where the tree has them */
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 500);

/** The median and the p99 of `runs` timed calls of `fn` (after 20 untimed ones), in ms. */
async function percentiles(runs: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => Number(times[Math.min(times.length - 1, Math.floor(times.length * share))].toFixed(3));
  return { p50: at(0.5), p99: at(0.99) };
}

async function runOn(kind: 'sqlite' | 'postgres', file: string, dir: string): Promise<Record<string, unknown>> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = kind === 'sqlite' ? `sqlite:${join(dir, 'national.db')}` : `${PG_URL}?schema=${schema}`;
  // the SQLite memory settings as the server reads them (LOOKBACK_SQLITE_CACHE_MIB, LOOKBACK_SQLITE_MMAP_MIB)
  const { LOOKBACK_SQLITE_CACHE_MIB, LOOKBACK_SQLITE_MMAP_MIB } = process.env;
  const config = loadConfig({
    DATABASE_URL: url,
    LOOKBACK_PG_POOL: '12',
    LOOKBACK_SQLITE_CACHE_MIB,
    LOOKBACK_SQLITE_MMAP_MIB,
  });
  const dataSource = await openDatabase(config.database);
  const db = new Db(dataSource);
  // SQLite's own connection, for ANALYZE and the checkpoint (better-sqlite3 under TypeORM's driver)
  const sqlite = () =>
    (dataSource.driver as unknown as { databaseConnection: { exec(s: string): void; pragma(s: string): unknown } })
      .databaseConnection;
  try {
    const cpuBefore = process.cpuUsage();
    const imported = await new CountryImporter(
      new CountryLoadRepository(db),
      () => Date.now() - 30 * 86_400_000,
    ).importFile(file, 'ndjson');
    const cpu = process.cpuUsage(cpuBefore);
    const importCpuSeconds = (cpu.user + cpu.system) / 1e6;
    // what an operator runs after a bulk load: statistics for the planner, and on PostgreSQL a VACUUM too (it marks
    // the loaded pages all-visible: index-only scans stop visiting the table, and autovacuum has nothing left to do)
    const analyzeFrom = Date.now();
    if (kind === 'sqlite') sqlite().exec('ANALYZE');
    else await db.query(`VACUUM (ANALYZE) ${Object.keys(LOAD_TABLES).join(', ')}`);
    const afterLoadSeconds = (Date.now() - analyzeFrom) / 1000;
    const withRollups = nationalServices(db, true);
    const without = nationalServices(db, false);
    const root = (await db.query<{ id: string }>('SELECT id FROM units WHERE depth = 0 ORDER BY id LIMIT 1'))[0].id;
    const [busiest] = await db.query<{ parent_id: string }>(
      'SELECT parent_id FROM units WHERE parent_id IS NOT NULL GROUP BY parent_id ORDER BY COUNT(*) DESC LIMIT 1',
    );
    const sample = (await db.query<{ id: string }>('SELECT id FROM units WHERE depth = 4 ORDER BY id LIMIT 2000')).map(
      (r) => r.id,
    );

    // a launched chain down to the busiest county (LAUNCH needs the parent launched), and some rushing
    await launchChainTo(withRollups, busiest.parent_id);
    for (const id of sample.slice(0, 300))
      await withRollups.stage.send(ADMIN, { unitId: id, event: 'COMPLETE_STUDY' } as never);
    if (kind === 'postgres') await withRollups.rollups.fold(1_000_000);

    // each read is timed in turn, in this order; printed as `<name>P99Ms`, with the medians under `readsP50Ms`
    const readsToTime: Record<string, (i: number) => Promise<unknown>> = {
      // the reference: a bare round trip through the same pool (on PostgreSQL the floor of every read below)
      selectOne: () => db.query('SELECT 1'),
      rollupAtRoot: () => withRollups.oversight.rollupOf({ id: root }),
      childrenPageOf100: () => withRollups.oversight.children(busiest.parent_id, 100, null),
      laggardsFirstPage: () => withRollups.oversight.laggards(ADMIN, { underId: root, idleDays: 7, first: 100 }),
      rushingFirstPage: () => withRollups.oversight.rushing(ADMIN, { underId: root, minAttempts: 1, first: 100 }),
      unitStatus: (i) => withRollups.units.findById(sample[i % sample.length]),
    };
    const reads: Record<string, unknown> = {};
    const readsP50Ms: Record<string, number> = {};
    for (const [name, read] of Object.entries(readsToTime)) {
      const { p50, p99 } = await percentiles(READS, read);
      reads[`${name}P99Ms`] = p99;
      readsP50Ms[name] = p50;
    }
    reads.readsP50Ms = readsP50Ms;

    // durable LAUNCHes with rollups maintained and without, interleaved (bench/national-writes.ts)
    const writes = await measureWrites(db, withRollups, without, WRITERS, LAUNCHES, 4);
    // SQLite: the file once the WAL is checkpointed into it and truncated (while the import runs, its WAL grows to
    // about the size of the file: the whole load is one transaction)
    if (kind === 'sqlite') sqlite().pragma('wal_checkpoint(TRUNCATE)');
    const bytes =
      kind === 'sqlite'
        ? statSync(join(dir, 'national.db')).size
        : Number(
            (
              await db.query<{ n: number }>(
                'SELECT SUM(pg_total_relation_size(c.oid))::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = ? AND c.relkind = ?',
                [schema, 'r'],
              )
            )[0].n,
          );
    return {
      database: kind,
      ...(config.database.type === 'sqlite'
        ? { sqliteCacheMiB: config.database.cacheMiB, sqliteMmapMiB: config.database.mmapMiB }
        : {}),
      units: imported.units,
      importUnitsPerSecond: Math.round(imported.units / imported.seconds),
      // this process's CPU only: on SQLite the whole import, on PostgreSQL the client side (COPY text, validation)
      importUnitsPerCpuSecond: Math.round(imported.units / importCpuSeconds),
      importIndexesAfterLoadSeconds: imported.indexesAfterLoad ? imported.indexSeconds : null,
      // after the import, untimed in its rate: SQLite ANALYZE; PostgreSQL VACUUM (ANALYZE) of the loaded tables
      analyzeAfterLoadSeconds: afterLoadSeconds,
      bytesPerUnit: Math.round(bytes / imported.units),
      ...reads,
      ...writes,
    };
  } finally {
    await db.close();
    await dataSource.destroy();
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(UNITS) || UNITS < 1_000) throw new Error('--units must be a whole number of at least 1,000');
  const dir = mkdtempSync(join(tmpdir(), 'lookback-national-'));
  try {
    const file = join(dir, 'country.ndjson');
    let chunk = '';
    writeFileSync(file, '');
    const { appendFileSync } = await import('node:fs');
    for (const unit of generateCountry(UNITS, 1)) {
      chunk += JSON.stringify(unit) + '\n';
      if (chunk.length > 1 << 20) {
        appendFileSync(file, chunk);
        chunk = '';
      }
    }
    appendFileSync(file, chunk);
    // each database's figures go to stderr as soon as they are measured: a long run that fails later keeps them
    const measured = async (kind: 'sqlite' | 'postgres') => {
      const result = await runOn(kind, file, dir);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      return result;
    };
    const results = [await measured('sqlite')];
    // the SQLite file goes before PostgreSQL loads: at 4.3 M units it is ~17 GB, and its one-transaction WAL as much
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `national.db${suffix}`), { force: true });
    if (process.env.BENCH_PG !== '0') results.push(await measured('postgres'));
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(JSON.stringify({ units: UNITS, peakRssMiB, results }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
