import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Db } from './db.js';

/** Db on a bare better-sqlite3 file, as TypeORM's driver hands it over (WAL, a separate read connection). */
function sqliteDb(dir: string): { db: Db; connection: BetterSqlite3.Database } {
  const path = join(dir, 'db.sqlite');
  const connection = new BetterSqlite3(path);
  connection.pragma('journal_mode = WAL');
  connection.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const dataSource = {
    options: { type: 'better-sqlite3', database: path },
    driver: { databaseConnection: connection },
  } as unknown as DataSource;
  return { db: new Db(dataSource), connection };
}

describe('Db.transaction on SQLite (group commit)', () => {
  let dir: string;
  let db: Db;
  let connection: BetterSqlite3.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookback-db-'));
    ({ db, connection } = sqliteDb(dir));
  });
  afterEach(async () => {
    await db.close();
    connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async () => (await db.query<{ v: string }>('SELECT v FROM t ORDER BY id')).map((r) => r.v);

  it('works started together commit together; one that throws rolls back only its own writes', async () => {
    const results = await Promise.allSettled([
      db.transaction((tx) => tx.run('INSERT INTO t (v) VALUES (?)', ['a'])),
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (v) VALUES (?)', ['b']);
        throw new Error('b changed its mind');
      }),
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (v) VALUES (?)', ['c']);
        return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0].n;
      }),
      db.transaction((tx) => tx.run('INSERT INTO t (v) VALUES (?)', ['a'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('b changed its mind');
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2); // a and c: b was rolled back
    expect((results[3] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(await rows()).toEqual(['a', 'c']);
    expect(connection.inTransaction).toBe(false);
  });

  it('answers no work before its writes are committed and visible to the read connection', async () => {
    const seen: string[][] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((v) =>
        db.transaction((tx) => tx.run('INSERT INTO t (v) VALUES (?)', [v])).then(async () => seen.push(await rows())),
      ),
    );
    for (const snapshot of seen) expect(snapshot).toEqual(['x', 'y', 'z']);
  });

  it('a work queued by another work runs after it', async () => {
    const order: string[] = [];
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (v) VALUES (?)', ['first']);
      void db.transaction(async (inner) => {
        order.push('second');
        await inner.run('INSERT INTO t (v) VALUES (?)', ['second']);
      });
      order.push('first');
    });
    await db.transaction(async () => undefined);
    expect(order).toEqual(['first', 'second']);
    expect(await rows()).toEqual(['first', 'second']);
  });
});
