import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { IdempotencyPruner, IDEMPOTENCY_TTL_MS } from '../src/common/idempotency/idempotency-pruner.js';
import { IdempotencyRepository } from '../src/common/idempotency/idempotency.repository.js';
import { openDatabase } from '../src/database/database.module.js';
import { Db } from '../src/database/db.js';
import { ManualClock } from './support/test-app.js';
import { testDatabase, TestDatabase } from './support/test-database.js';

describe('idempotency keys are kept 24 hours, then pruned', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let db: Db;

  beforeAll(async () => {
    database = testDatabase();
    dataSource = await openDatabase(database.config);
    db = new Db(dataSource);
  });
  afterAll(async () => {
    await db.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('keeps a key younger than 24 hours and prunes an older one', async () => {
    const clock = new ManualClock(new Date('2014-04-03T08:00:00Z'));
    const keys = new IdempotencyRepository(db);
    const now = clock.now().getTime();
    await db.transaction(async (tx) => {
      await keys.store(tx, 'officer', 'old', { requestHash: 'h', unitId: 'u', response: {} }, now - IDEMPOTENCY_TTL_MS - 1);
      await keys.store(tx, 'officer', 'edge', { requestHash: 'h', unitId: 'u', response: {} }, now - IDEMPOTENCY_TTL_MS);
      await keys.store(tx, 'officer', 'fresh', { requestHash: 'h', unitId: 'u', response: {} }, now - 1000);
    });
    const sut = new IdempotencyPruner(keys, clock);
    expect(await sut.prune()).toBe(1);
    const left = await db.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key');
    expect(left.map((r) => r.key)).toEqual(['edge', 'fresh']);
    clock.advanceMs(1);
    expect(await sut.prune()).toBe(1);
    expect((await db.query<{ key: string }>('SELECT key FROM idempotency_keys')).map((r) => r.key)).toEqual(['fresh']);
  });
});
