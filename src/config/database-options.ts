import type { DataSourceOptions } from 'typeorm';
import type { Database } from 'better-sqlite3';
import type { DatabaseConfig } from './app-config.js';
import { ENTITIES } from '../database/entities.js';
import { MIGRATIONS } from '../database/migrations/index.js';
import { sqliteMemory } from '../database/sqlite-memory.js';

/**
 * One options builder for the server, the tests and the TypeORM CLI (ormconfig.ts).
 * The schema comes only from migrations: never `synchronize`.
 */
export function databaseOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (db.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: db.path !== ':memory:',
      timeout: 10_000,
      prepareDatabase: (connection: Database) => {
        // An acknowledged write must survive a power cut: WAL with synchronous=FULL fsyncs every commit.
        connection.pragma('synchronous = FULL');
        connection.pragma('busy_timeout = 10000');
        sqliteMemory(connection, db.cacheMiB, db.mmapMiB);
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    schema: db.schema ?? undefined,
    poolSize: db.poolSize,
    extra: {
      max: db.poolSize,
      options: db.schema ? `-c search_path=${db.schema}` : undefined,
      // PostgreSQL unreachable (or every pooled connection busy) for this long: the request fails as UNAVAILABLE
      // rather than waiting without end; lost peers are noticed by TCP keepalive
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    },
  };
}
