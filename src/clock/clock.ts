import { Injectable } from '@nestjs/common';

/** The one source of "now" for the server. Gates never read it: the server stamps each event with it. */
@Injectable()
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * Time-travel mode (LOOKBACK_TIME_TRAVEL=1, never in production): real time plus an offset that only grows. The
 * offset lives in the database (every instance and every restart share it); each instance keeps the largest
 * offset it has seen and refreshes it every second. A unit's events never go back in time even while an
 * instance's copy lags: the command path never stamps an event before the unit's previous one.
 */
export class TravellingClock extends Clock {
  private offsetMs = 0;

  constructor(private readonly stored: { offset(): Promise<number>; advance(ms: number): Promise<number> }) {
    super();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  async refresh(): Promise<void> {
    this.offsetMs = Math.max(this.offsetMs, await this.stored.offset());
  }

  async advanceDays(days: number): Promise<Date> {
    this.offsetMs = Math.max(this.offsetMs, await this.stored.advance(days * 24 * 60 * 60 * 1000));
    return this.now();
  }
}
