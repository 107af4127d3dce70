/** Fixed one-minute windows per key (principal × operation, or a client address). Old windows are dropped as they pass. */
export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(readonly perMinute: number) {}

  /**
   * Charges `amount` to `key` in the current minute: true if the request may go ahead, i.e. the minute's total,
   * this charge included, stays within perMinute. A refused charge still counts (hammering does not refill the
   * budget). 0 per minute means no limit.
   */
  take(key: string, nowMs: number, amount = 1): boolean {
    if (this.perMinute === 0) return true;
    const window = Math.floor(nowMs / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + amount;
    this.counts.set(key, count);
    return count <= this.perMinute;
  }

  /** Whether `key` has used up the current minute's budget (nothing is charged). */
  spent(key: string, nowMs: number): boolean {
    if (this.perMinute === 0 || Math.floor(nowMs / 60_000) !== this.window) return false;
    return (this.counts.get(key) ?? 0) >= this.perMinute;
  }

  /** Milliseconds until the current window ends (a Retry-After for a refused charge). */
  static msToNextWindow(nowMs: number): number {
    return 60_000 - (nowMs % 60_000);
  }
}

const refusalsBySettings = new WeakMap<object, RateLimiter>();

/**
 * The one budget of refusals per client address for a server's settings: requests without a valid bearer token over
 * HTTP and refused `connection_init`s over WebSocket are charged to the same address's minute.
 */
export function addressRefusals(settings: { anonymousPerMinute: number }): RateLimiter {
  let limiter = refusalsBySettings.get(settings);
  if (!limiter) refusalsBySettings.set(settings, (limiter = new RateLimiter(settings.anonymousPerMinute)));
  return limiter;
}
