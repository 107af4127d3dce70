import { jest } from '@jest/globals';
import { CheckpointScheduler } from './checkpoint-scheduler.js';

describe('CheckpointScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const audit = () => {
    const calls: number[] = [];
    return {
      calls,
      createCheckpoint: async () => (
        calls.push(Date.now()),
        { id: calls.length, unitCount: 0, createdAt: 0, digest: '', prevSignature: '', signature: '' }
      ),
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

  it('does nothing when off (0) or without an audit key', async () => {
    for (const config of [
      { checkpointEveryMinutes: 0, auditKey: 'k' },
      { checkpointEveryMinutes: 5, auditKey: null },
    ]) {
      const a = audit();
      new CheckpointScheduler(a, config).onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(60 * 60_000);
      expect(a.calls).toHaveLength(0);
    }
  });
});
