import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A rulebook is an immutable document: units ran under it. Triggers refuse UPDATE and DELETE on both databases,
 * whichever connection tries — the service's own, or an operator's client behind its back.
 */
describe('stored rulebooks are immutable', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  const outside = async (sql: string): Promise<void> => {
    const database = sut.config.database;
    if (database.type === 'sqlite') {
      const connection = new Sqlite(database.path);
      try {
        connection.prepare(sql).run();
      } finally {
        connection.close();
      }
      return;
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      if (database.schema) await client.query(`SET search_path TO "${database.schema}"`);
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  /**
   * How a statement ended: better-sqlite3 builds its errors from the class of the first copy of the module loaded in
   * the process, so in a Jest worker that ran another suite first they are not `Error`s of this suite's realm and
   * `rejects.toThrow` reads them as "did not throw": the message is compared instead.
   */
  const outcome = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'done',
      (error: unknown) => String((error as { message?: unknown })?.message ?? error),
    );

  it.each([
    ['UPDATE', "UPDATE rulebooks SET reason = 'x' WHERE version = 1"],
    ['DELETE', 'DELETE FROM rulebooks WHERE version = 2'],
  ])("refuses %s through the service's connection and through another", async (_, sql) => {
    expect(await outcome(sut.db.transaction((tx) => tx.run(sql)))).toMatch(/^rulebooks are immutable/);
    expect(await outcome(outside(sql))).toMatch(/^rulebooks are immutable/);
    expect(await sut.db.query('SELECT version, reason FROM rulebooks ORDER BY version')).toEqual([
      { version: 1, reason: null },
      { version: 2, reason: null },
    ]);
  });
});
