/** What the pacer needs of time (real time; tests pass their own). */
export interface PacerClock {
  now(): number;
  /** runs `run` after `ms`; the function cancels it */
  after(ms: number, run: () => void): () => void;
}

export const realTime: PacerClock = {
  now: () => Date.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * At most one run per `intervalMs`, and never a change left unreported: the first change after a quiet interval
 * runs at once; changes within the interval after a run are coalesced into one run at its end. (For streams whose
 * message is the latest state, e.g. a subtree's rollup: the last run always reflects the last change.)
 */
export class Pacer {
  private lastRun = -Infinity;
  private cancel: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => void,
    private readonly clock: PacerClock = realTime,
  ) {}

  changed(): void {
    if (this.stopped || this.cancel) return;
    const wait = this.lastRun + this.intervalMs - this.clock.now();
    if (wait <= 0) return this.fire();
    this.cancel = this.clock.after(wait, () => {
      this.cancel = null;
      this.fire();
    });
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = null;
  }

  private fire(): void {
    if (this.stopped) return;
    this.lastRun = this.clock.now();
    this.run();
  }
}
