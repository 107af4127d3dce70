import 'reflect-metadata';
import { openDatabase } from '../src/database/database.module.js';
import { jest } from '@jest/globals';
import type { Principal } from '../src/auth/principal.js';
import { HistoryService } from '../src/history/history.service.js';
import { mediumServices } from './support/medium-services.js';
import { useMediumDatabase } from './support/medium-database.js';
import { TEST_ON_POSTGRES } from './support/test-database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db } from '../src/database/db.js';

const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };

describe('the database (migrations, transactions)', () => {
  const medium = useMediumDatabase();

  it('builds the whole schema from migrations: the entities need no further change', async () => {
    expect(await medium.dataSource.showMigrations()).toBe(false);
    const pending = await medium.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('applies migrations idempotently: reopening the database runs none again', async () => {
    const again = await openDatabase(medium.database.config);
    const executed = await again.query('SELECT COUNT(*) AS n FROM migrations');
    expect(Number(executed[0].n)).toBe(medium.dataSource.migrations.length);
    await again.destroy();
  });

  (TEST_ON_POSTGRES ? it.skip : it)(
    'SQLite: the writer and the reader connection both get the configured page cache and memory mapping',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lookback-pragmas-'));
      const dataSource = await openDatabase({ type: 'sqlite', path: join(dir, 'a.db'), cacheMiB: 8, mmapMiB: 16 });
      const db = new Db(dataSource);
      try {
        const read = async (pragma: string) => Number(Object.values((await db.query(`PRAGMA ${pragma}`))[0])[0]);
        const written = async (pragma: string) =>
          db.transaction(async (tx) => Number(Object.values((await tx.query(`PRAGMA ${pragma}`))[0])[0]));
        // a negative cache_size is in KiB
        expect([await read('cache_size'), await written('cache_size')]).toEqual([-8192, -8192]);
        expect([await read('mmap_size'), await written('mmap_size')]).toEqual([16 * 2 ** 20, 16 * 2 ** 20]);
      } finally {
        await db.close();
        await dataSource.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('leaves nothing behind when a write fails half-way', async () => {
    const { unitsService: sut, history } = mediumServices(medium.db);
    jest
      .spyOn(history as HistoryService, 'start')
      .mockRejectedValue(new Error('the second write of the transaction failed'));
    const before = await medium.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units');
    await expect(sut.create(ADMIN, { name: '半途', kind: 'GRASSROOTS' })).rejects.toThrow(
      'the second write of the transaction failed',
    );
    const after = await medium.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('serializes transactions started together (no "transaction within a transaction")', async () => {
    const { unitsService: sut } = mediumServices(medium.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sut.create(ADMIN, { name: `并发${i}`, kind: 'GRASSROOTS' })),
    );
    expect(results.every((r) => 'unit' in r)).toBe(true);
    const [row] = await medium.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM units WHERE name LIKE '并发%'");
    expect(Number(row.n)).toBe(20);
  });

  (TEST_ON_POSTGRES ? it : it.skip)(
    'a new PostgreSQL connection that fails before its borrower listens does not end the process; the pool drops it',
    async () => {
      // a pool of its own, with room for a new connection whatever the other tests left open
      const dataSource = await openDatabase(medium.database.config);
      const db = new Db(dataSource);
      const pool = (dataSource.driver as unknown as { master: import('pg').Pool }).master;
      // as when PostgreSQL ends a backend in the same chunk as its "ready": the error comes before any listener of ours
      let failed: Error | null = null;
      let opened = false;
      const onConnect = (client: import('pg').PoolClient) => {
        pool.off('connect', onConnect);
        opened = true;
        // emitted on the client as pg does for a FATAL message with no query running
        const error = Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        });
        queueMicrotask(() => {
          try {
            client.emit('error', error);
          } catch (thrown) {
            failed = thrown as Error;
          }
        });
      };
      pool.on('connect', onConnect);
      // every idle pooled connection busy, so that the next transaction opens a new one
      const holds = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
      try {
        await db.transaction((tx) => tx.query('SELECT 1')).catch(() => undefined);
        expect({ opened, failed }).toEqual({ opened: true, failed: null });
        // and the service goes on: the next transaction gets a working connection
        expect(await db.transaction((tx) => tx.query<{ ok: number }>('SELECT 1 AS ok'))).toEqual([{ ok: 1 }]);
      } finally {
        for (const held of holds) held.release();
        pool.off('connect', onConnect);
        await db.close();
        await dataSource.destroy();
      }
    },
  );

  it("reads rows as arrays in the SELECT's column order, and the same statement as objects again afterwards", async () => {
    const sql = 'SELECT id, name, depth FROM units WHERE id = ? OR id = ? ORDER BY id';
    await medium.db
      .transaction(async (tx) => {
        await tx.run(
          "INSERT INTO units (id, name, kind, parent_id, depth, l0_id, leader_count, phase, created_at, updated_at) VALUES ('arr-a', '甲', 'GRASSROOTS', NULL, 0, 'arr-a', 0, 'registered', 0, 0), ('arr-b', '乙', 'GRASSROOTS', NULL, 0, 'arr-b', 0, 'registered', 0, 0)",
        );
        expect(await tx.queryArrays(sql, ['arr-a', 'arr-b'])).toEqual([
          ['arr-a', '甲', 0],
          ['arr-b', '乙', 0],
        ]);
        // the statement is cached and shared: a plain query of the same SQL still answers objects
        expect(await tx.query(sql, ['arr-a', 'arr-b'])).toEqual([
          { id: 'arr-a', name: '甲', depth: 0 },
          { id: 'arr-b', name: '乙', depth: 0 },
        ]);
        expect(await tx.queryArrays(sql, ['none', 'none'])).toEqual([]);
        throw new Error('roll back');
      })
      .catch((error: Error) => {
        if (error.message !== 'roll back') throw error;
      });
  });

  it("never shows a reader another transaction's uncommitted writes", async () => {
    let seenInside = -1;
    await medium.db
      .transaction(async (tx) => {
        await tx.run(
          "INSERT INTO units (id, name, kind, parent_id, depth, l0_id, leader_count, phase, created_at, updated_at) VALUES ('uncommitted', 'u', 'GRASSROOTS', NULL, 0, 'uncommitted', 0, 'registered', 0, 0)",
        );
        seenInside = (await medium.db.query("SELECT id FROM units WHERE id = 'uncommitted'")).length;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(seenInside).toBe(0);
    expect(await medium.db.query("SELECT id FROM units WHERE id = 'uncommitted'")).toEqual([]);
  });
});
