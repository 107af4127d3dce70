import { jest } from '@jest/globals';
import { CheckpointScheduler } from './checkpoint-scheduler.js';
import { captureLogs } from '../../test/support/logged.js';

describe('CheckpointScheduler', () => {
  let logged: string[];
  beforeEach(() => {
    logged = captureLogs('log', 'warn', 'error');
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** A service whose checkpoints cover `unitCount` heads each; an Error in `failures` is thrown by that call instead. */
  const audit = (failures: (Error | null)[] = []) => {
    const calls: number[] = [];
    return {
      calls,
      createCheckpoint: async () => {
        calls.push(Date.now());
        const failure = failures.shift();
        if (failure) throw failure;
        return {
          id: calls.length,
          unitCount: 40 + calls.length,
          createdAt: 0,
          digest: '',
          prevSignature: '',
          signature: '',
        };
      },
    };
  };

  it('signs a checkpoint every LOOKBACK_CHECKPOINT_MINUTES', async () => {
    const a = audit();
    const sut = new CheckpointScheduler(a, { checkpointEveryMinutes: 15, auditKey: 'k' });
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(15 * 60_000 - 1);
    expect(a.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(a.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(30 * 60_000);
    expect(a.calls).toHaveLength(3);
    sut.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(a.calls).toHaveLength(3);
  });

  it('logs each checkpoint with its id and heads; a failed one is logged as an error and the next still runs', async () => {
    const a = audit([null, new Error('the database is gone'), null]);
    const sut = new CheckpointScheduler(a, { checkpointEveryMinutes: 1, auditKey: 'k' });
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    sut.onApplicationShutdown();
    expect(a.calls).toHaveLength(3);
    expect(logged).toEqual([
      'log [Checkpoints] checkpoint 1: 41 chain heads',
      'error [Checkpoints] scheduled checkpoint failed: the database is gone',
      'log [Checkpoints] checkpoint 3: 43 chain heads',
    ]);
  });

  it('does not keep the process alive: its timer is unreferenced', async () => {
    jest.useRealTimers();
    const sut = new CheckpointScheduler(audit(), { checkpointEveryMinutes: 60, auditKey: 'k' });
    const started: NodeJS.Timeout[] = [];
    const setIntervalOriginal = globalThis.setInterval;
    jest.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const timer = setIntervalOriginal(...args);
      started.push(timer);
      return timer;
    }) as typeof setInterval);
    sut.onApplicationBootstrap();
    expect(started).toHaveLength(1);
    expect(started[0].hasRef()).toBe(false);
    sut.onApplicationShutdown();
  });

  it('does nothing when off (0); without an audit key it says why once, and signs nothing', async () => {
    const off = audit();
    new CheckpointScheduler(off, { checkpointEveryMinutes: 0, auditKey: 'k' }).onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(off.calls).toHaveLength(0);
    expect(logged).toEqual([]);

    const keyless = audit();
    const sut = new CheckpointScheduler(keyless, { checkpointEveryMinutes: 5, auditKey: null });
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(keyless.calls).toHaveLength(0);
    expect(logged).toEqual([
      'warn [Checkpoints] LOOKBACK_CHECKPOINT_MINUTES is set but LOOKBACK_AUDIT_KEY is not: no scheduled checkpoints.',
    ]);
    sut.onApplicationShutdown(); // nothing to stop
  });
});
