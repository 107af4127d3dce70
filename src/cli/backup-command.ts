import BetterSqlite3 from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../database/migrations/index.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE = `usage:
  npm run backup -- FILE             a consistent copy of the SQLite database, taken while it serves (online backup)
  npm run restore -- FILE [--force]  put a backup in place of the configured SQLite database (stop every instance first)
On PostgreSQL use pg_dump / pg_restore (see docs/operations.md).`;

export interface BackupIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: BackupIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function sqlitePath(env: NodeJS.ProcessEnv): string {
  const database = loadConfig(env).database;
  if (database.type !== 'sqlite')
    throw new CliArgumentError(
      'backup and restore copy a SQLite database; on PostgreSQL use pg_dump and pg_restore (docs/operations.md)',
    );
  if (database.path === ':memory:') throw new CliArgumentError('an in-memory database has nothing to back up');
  return database.path;
}

/** What a backup file must be before it replaces a database: SQLite, intact, with every migration this code knows. */
function checkBackup(file: string): { units: number; events: number } {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new CliArgumentError(`${file} fails SQLite's integrity check: ${String(integrity)}`);
    const applied = new Set((db.prepare('SELECT name FROM migrations').all() as { name: string }[]).map((r) => r.name));
    const missing = MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
    if (missing.length > 0)
      throw new CliArgumentError(`${file} lacks migrations ${missing.join(', ')}: it was not made by this version`);
    const count = (table: string) =>
      Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
    return { units: count('units'), events: count('unit_events') };
  } catch (error) {
    if (error instanceof CliArgumentError) throw error;
    throw new CliArgumentError(`${file} is not a Lookback database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * SQLite's online backup API, in one step: one read transaction, so the copy is the database as of one commit even
 * while instances keep writing (in WAL mode a reader never blocks them). Written beside the target, then renamed.
 */
export async function backup(source: string, target: string): Promise<{ units: number; events: number }> {
  if (!existsSync(dirname(resolve(target)))) throw new CliArgumentError(`the folder of ${target} does not exist`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new BetterSqlite3(source, { fileMustExist: true, timeout: 10_000 });
  try {
    await db.backup(partial, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
  const counts = checkBackup(partial);
  renameSync(partial, target);
  return counts;
}

export function restore(file: string, target: string, force: boolean): { units: number; events: number } {
  const counts = checkBackup(file);
  if (existsSync(target) && !force)
    throw new CliArgumentError(`${target} exists: stop every instance, then restore with --force to replace it`);
  const incoming = `${target}.restoring`;
  copyFileSync(file, incoming);
  const fd = openSync(incoming, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  // the old database's write-ahead log must not be replayed onto the restored file
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  return counts;
}

/** `npm run backup -- FILE` / `npm run restore -- FILE [--force]`: the exit code (0 done, 2 usage or setup error). */
export async function runBackup(
  command: 'backup' | 'restore',
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: BackupIo = processIo,
): Promise<number> {
  try {
    const { positional, options } = parseArgs(argv, command === 'restore' ? { force: 'flag' } : {});
    if (positional.length !== 1) throw new CliArgumentError(`${command} needs one FILE`);
    const database = sqlitePath(env);
    if (command === 'backup') {
      const counts = await backup(database, positional[0]);
      io.out(`backed up ${database} to ${positional[0]}: ${counts.units} units, ${counts.events} events\n`);
    } else {
      const counts = restore(positional[0], database, options.force === true);
      io.out(
        `restored ${positional[0]} to ${database}: ${counts.units} units, ${counts.events} events (run npm run audit -- verify)\n`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof CliArgumentError) io.err(`${command}: ${error.message}\n${USAGE}\n`);
    else if (error instanceof ConfigError) io.err(`${command}: configuration error: ${error.message}\n`);
    else io.err(`${command}: ${(error as Error).message}\n`);
    return 2;
  }
}
