import { jest } from '@jest/globals';
import type { Clock } from '../../src/clock/clock.js';
import { IdempotencyPruner, IDEMPOTENCY_TTL_MS } from '../../src/commands/idempotency/idempotency-pruner.js';
import type { IdempotencyRepository } from '../../src/commands/idempotency/idempotency.repository.js';
import { captureLogs } from '../support/logged.js';

const HOUR = 3_600_000;

/** Keys are pruned at boot and every hour; what was pruned, and a failed prune, are logged. */
describe('IdempotencyPruner', () => {
  let logged: string[];
  beforeEach(() => {
    logged = captureLogs('log', 'error');
    jest.useFakeTimers({ now: Date.UTC(2014, 3, 3, 8) });
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** A repository that answers `removed` in turn (an Error is thrown), and records each cut-off it was given. */
  const keys = (...removed: (number | Error)[]) => {
    const before: number[] = [];
    const repository = {
      before,
      prune: async (cutOff: number) => {
        before.push(cutOff);
        const next = removed.shift() ?? 0;
        if (next instanceof Error) throw next;
        return next;
      },
    };
    return repository as typeof repository & IdempotencyRepository;
  };
  const clock = { now: () => new Date(Date.now()) } as Clock;

  it('prunes keys older than 24 hours, and logs how many only when there were some', async () => {
    const repository = keys(3, 0);
    const sut = new IdempotencyPruner(repository, clock);
    expect(await sut.prune()).toBe(3);
    expect(await sut.prune()).toBe(0);
    expect(repository.before).toEqual([Date.now() - IDEMPOTENCY_TTL_MS, Date.now() - IDEMPOTENCY_TTL_MS]);
    expect(logged).toEqual(['log [Idempotency] pruned 3 idempotency keys older than 24 hours']);
  });

  it('prunes at boot, then every hour until shutdown; a failed prune is logged and the next one still runs', async () => {
    const repository = keys(0, new Error('the database is gone'), 2);
    const sut = new IdempotencyPruner(repository, clock);
    await sut.onApplicationBootstrap();
    expect(repository.before).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(HOUR - 1);
    expect(repository.before).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(repository.before).toHaveLength(2);
    expect(logged).toEqual(['error [Idempotency] the database is gone']);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(repository.before).toHaveLength(3);
    expect(logged).toEqual([
      'error [Idempotency] the database is gone',
      'log [Idempotency] pruned 2 idempotency keys older than 24 hours',
    ]);
    sut.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(repository.before).toHaveLength(3);
  });

  it('shuts down cleanly without having booted', () => {
    expect(() => new IdempotencyPruner(keys(), clock).onApplicationShutdown()).not.toThrow();
  });
});
