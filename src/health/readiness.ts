import { Injectable } from '@nestjs/common';

/** Something an instance needs before it may take traffic (beyond the database): e.g. its LISTEN connection. */
export interface ReadinessCheck {
  name: string;
  /** resolves with details when ready; throws (a sentence) when not */
  check(): Promise<Record<string, unknown>>;
}

/** The checks features add to /health/ready (the database and its migrations are always checked). */
@Injectable()
export class Readiness {
  readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }
}
