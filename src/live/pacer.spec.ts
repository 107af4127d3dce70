import { Pacer, type PacerClock } from './pacer.js';

/** A clock moved by hand, with its pending timers. */
function manualClock(): PacerClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    after(ms, run) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.run());
    },
    pending: () => timers.length,
  };
}

describe('Pacer: at most one message a second, the last change always reported', () => {
  it('runs at once after a quiet second, coalesces a burst into one run at the end of the second', () => {
    const clock = manualClock();
    const runs: number[] = [];
    const pacer = new Pacer(1000, () => runs.push(clock.now()), clock);
    pacer.changed();
    expect(runs).toEqual([0]);
    clock.advance(100);
    for (let i = 0; i < 50; i++) pacer.changed();
    expect(runs).toEqual([0]);
    clock.advance(899);
    expect(runs).toEqual([0]);
    clock.advance(1);
    expect(runs).toEqual([0, 1000]);
    // quiet: nothing more
    clock.advance(5000);
    expect(runs).toEqual([0, 1000]);
    pacer.changed();
    expect(runs).toEqual([0, 1000, 6000]);
  });

  it('a steady stream of changes runs once a second, never more', () => {
    const clock = manualClock();
    const runs: number[] = [];
    const pacer = new Pacer(1000, () => runs.push(clock.now()), clock);
    for (let t = 0; t < 10_000; t += 50) {
      pacer.changed();
      clock.advance(50);
    }
    expect(runs).toEqual(Array.from({ length: 11 }, (_, i) => i * 1000));
    for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1]).toBeGreaterThanOrEqual(1000);
  });

  it('stopped: nothing runs, its timer is cancelled', () => {
    const clock = manualClock();
    const runs: number[] = [];
    const pacer = new Pacer(1000, () => runs.push(clock.now()), clock);
    pacer.changed();
    pacer.changed();
    expect(clock.pending()).toBe(1);
    pacer.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(2000);
    pacer.changed();
    expect(runs).toEqual([0]);
  });
});
