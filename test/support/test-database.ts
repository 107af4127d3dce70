import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../src/config/app-config.js';

export const TEST_ON_POSTGRES = process.env.LOOKBACK_TEST_DB === 'pg';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: DatabaseConfig;
  /** Drops what the test created: the temp folder, or the PostgreSQL schema. */
  drop(): Promise<void>;
}

/** A database of its own for one test file: a temp SQLite file, or (npm run test:pg) a fresh PostgreSQL schema. */
export function testDatabase(): TestDatabase {
  if (TEST_ON_POSTGRES) {
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    return {
      config: { type: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 10 },
      async drop() {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lookback-test-'));
  return {
    config: { type: 'sqlite', path: join(dir, 'test.db') },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
