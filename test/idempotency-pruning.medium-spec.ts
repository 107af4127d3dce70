import { IdempotencyPruner, IDEMPOTENCY_TTL_MS } from '../src/commands/idempotency/idempotency-pruner.js';
import { IdempotencyRepository } from '../src/commands/idempotency/idempotency.repository.js';
import { ManualClock } from './support/test-app.js';
import { useMediumDatabase } from './support/medium-database.js';

describe('idempotency keys are kept 24 hours, then pruned', () => {
  const medium = useMediumDatabase();

  it('keeps a key younger than 24 hours and prunes an older one', async () => {
    const { db } = medium;
    const clock = new ManualClock(new Date('2014-04-03T08:00:00Z'));
    const keys = new IdempotencyRepository(db);
    const now = clock.now().getTime();
    await db.transaction(async (tx) => {
      await keys.store(
        tx,
        'officer',
        'old',
        { requestHash: 'h', unitId: 'u', response: {} },
        now - IDEMPOTENCY_TTL_MS - 1,
      );
      await keys.store(
        tx,
        'officer',
        'edge',
        { requestHash: 'h', unitId: 'u', response: {} },
        now - IDEMPOTENCY_TTL_MS,
      );
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
