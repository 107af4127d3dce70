import { addressRefusals, RateLimiter } from './rate-limiter.js';

const MINUTE = 60_000;
const T0 = 1000 * MINUTE + 5;

describe('RateLimiter', () => {
  it('charges amounts: a budget of 202 takes 101 twice, not a third time', () => {
    const sut = new RateLimiter(202);
    expect([sut.take('a', T0, 101), sut.take('a', T0 + 1, 101), sut.take('a', T0 + 2, 101)]).toEqual([
      true,
      true,
      false,
    ]);
    // another key has its own budget; one of amount 1 is the default
    expect(sut.take('b', T0 + 3)).toBe(true);
  });

  it('the limit itself passes, one more does not; refused charges still count within the minute', () => {
    const sut = new RateLimiter(3);
    expect([sut.take('k', T0, 3), sut.take('k', T0, 1)]).toEqual([true, false]);
    expect(sut.take('k', T0 + MINUTE - 10, 1)).toBe(false);
  });

  it('a new minute starts afresh; 0 means no limit', () => {
    const sut = new RateLimiter(1);
    expect([sut.take('k', T0), sut.take('k', T0), sut.take('k', T0 + MINUTE)]).toEqual([true, false, true]);
    expect(new RateLimiter(0).take('k', T0, 1e9)).toBe(true);
    expect(RateLimiter.msToNextWindow(T0)).toBe(MINUTE - 5);
  });

  it("spent: true once the minute's budget is used, without charging; never when there is no limit", () => {
    const sut = new RateLimiter(2);
    expect(sut.spent('k', T0)).toBe(false);
    sut.take('k', T0);
    expect(sut.spent('k', T0)).toBe(false);
    sut.take('k', T0);
    expect([sut.spent('k', T0), sut.spent('k', T0), sut.spent('other', T0)]).toEqual([true, true, false]);
    expect(sut.spent('k', T0 + MINUTE)).toBe(false);
    const none = new RateLimiter(0);
    none.take('k', T0, 5);
    expect(none.spent('k', T0)).toBe(false);
    // not even in the limiter's first window (its minute 0, where nothing was charged yet)
    expect(new RateLimiter(0).spent('k', 5)).toBe(false);
  });

  it('addressRefusals: one limiter per settings object, shared by whoever asks with it', () => {
    const settings = { anonymousPerMinute: 1 };
    expect(addressRefusals(settings)).toBe(addressRefusals(settings));
    expect(addressRefusals(settings)).not.toBe(addressRefusals({ anonymousPerMinute: 1 }));
    expect(addressRefusals(settings).perMinute).toBe(1);
  });
});
