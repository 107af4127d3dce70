import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { AppConfig, ConfigError, redact } from '../config/app-config.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { databaseOptions } from '../config/database-options.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { Db } from './db.js';

/** The advisory lock key instances take on PostgreSQL to migrate one at a time (any fixed 64-bit number). */
const MIGRATION_LOCK = 7_051_914_2014;
const MIGRATION_LOCK_POLL_MS = 100;

/**
 * Opens the database, applies pending migrations, and hands out the `Db` of the hot path. Several instances may
 * start together on a new database: they migrate one at a time (PostgreSQL: an advisory lock held on its own
 * connection; SQLite: the write lock, `BEGIN IMMEDIATE`, around all pending migrations), and the later ones find
 * nothing left to do.
 */
export async function openDatabase(config: AppConfig['database']): Promise<DataSource> {
  if (config.type === 'postgres')
    return openPostgres(config).catch((error: Error) => Promise.reject(unreachable(config, error)));
  if (config.path !== ':memory:') {
    const folder = dirname(config.path);
    if (config.createFolder) mkdirSync(folder, { recursive: true });
    else if (!existsSync(folder)) {
      throw new ConfigError(
        `DATABASE_URL=sqlite:${config.path}: the folder ${folder} does not exist (create it first; only the default data/ folder is created for you).`,
      );
    }
  }
  const dataSource = new DataSource(databaseOptions(config));
  await dataSource.initialize();
  try {
    // TypeORM's better-sqlite3 driver has one connection: the migrations run inside this transaction
    await dataSource.query('BEGIN IMMEDIATE');
    try {
      await dataSource.runMigrations({ transaction: 'none' });
      await dataSource.query('COMMIT');
    } catch (error) {
      await dataSource.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** What an operator needs when PostgreSQL does not answer: which setting, which database, and the driver's reason. */
function unreachable(config: { url: string }, error: Error & { code?: string }): Error {
  const connection = [
    'ECONNREFUSED',
    'ENOTFOUND',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ECONNRESET',
    '28P01',
    '28000',
    '3D000',
  ];
  if (!connection.includes(error.code ?? '') && !/connect|password|does not exist/i.test(error.message)) return error;
  return new ConfigError(
    `cannot open the PostgreSQL database of DATABASE_URL (${redact(config.url)}): ${error.message}`,
  );
}

/**
 * Takes the migration lock, asking every MIGRATION_LOCK_POLL_MS while another instance holds it. Not a waiting
 * `pg_advisory_lock`: a statement that waits keeps its snapshot open, and CREATE INDEX CONCURRENTLY in the holder's
 * migrations waits for every older snapshot to end — the two would wait for each other. Between two tries this
 * connection is idle, outside any transaction.
 */
async function migrationLock(lock: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_LOCK,
    ]);
    if (rows[0].locked) return;
    await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
  }
}

async function openPostgres(config: Extract<AppConfig['database'], { type: 'postgres' }>): Promise<DataSource> {
  const lock = new pg.Client({ connectionString: config.url });
  await lock.connect();
  try {
    await migrationLock(lock);
    if (config.schema) await lock.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
    const dataSource = new DataSource(databaseOptions(config));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return dataSource;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

@Global()
@Module({
  providers: [
    { provide: DataSource, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabase(config.database) },
    { provide: Db, inject: [DataSource], useFactory: (dataSource: DataSource) => new Db(dataSource) },
  ],
  exports: [DataSource, Db],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Db) private readonly db: Db,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
