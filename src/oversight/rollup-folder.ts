import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ActivityRepository } from './activity.repository.js';
import { RollupsRepository } from './rollups.repository.js';

/** How often the folder looks for deltas or pending rows, and how many it moves per transaction. */
export const FOLD_EVERY_MS = 200;
export const FOLD_BATCH = 20_000;
/** With no delta appended by this process, the folder still looks every so often (other instances append too). */
export const FOLD_IDLE_EVERY_MS = 10_000;

/**
 * In the background: on PostgreSQL folds appended rollup deltas into the rollup rows (RollupsRepository.fold), on
 * SQLite the pending idleness rows into `unit_activity` (ActivityRepository.fold). Reads are exact whether or not it
 * has run; it only keeps those tables short.
 */
@Injectable()
export class RollupFolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Rollups');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(ActivityRepository) private readonly activity: ActivityRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.rollups.deltasInUse && !this.activity.pendingInUse) return;
    let lastFold = Date.now();
    this.timer = setInterval(() => {
      if (this.running) return;
      const appended = this.rollups.appendedSinceFold || this.activity.pendingSinceFold;
      if (!appended && Date.now() - lastFold < FOLD_IDLE_EVERY_MS) return;
      this.rollups.appendedSinceFold = false;
      this.activity.pendingSinceFold = false;
      lastFold = Date.now();
      this.running = this.foldAll()
        .catch((error: Error) => this.logger.error(`folding rollup deltas failed: ${error.message}`))
        .finally(() => (this.running = null));
    }, FOLD_EVERY_MS);
    this.timer.unref();
  }

  /** Folds until no delta (PostgreSQL) or pending idleness row (SQLite) is left, or another instance folds. */
  async foldAll(): Promise<number> {
    let total = 0;
    for (const fold of [(n: number) => this.rollups.fold(n), (n: number) => this.activity.fold(n)])
      for (;;) {
        const folded = await fold(FOLD_BATCH);
        total += folded;
        if (folded < FOLD_BATCH) break;
      }
    return total;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
