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

/** Time-travel mode (LOOKBACK_TIME_TRAVEL=1, never in production): real time plus an offset that only grows. */
export class TravellingClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceDays(days: number): Date {
    this.offsetMs += days * 24 * 60 * 60 * 1000;
    return this.now();
  }
}
