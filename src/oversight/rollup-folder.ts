import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RollupsRepository } from './rollups.repository.js';

/** How often the PostgreSQL folder looks for deltas, and how many it moves per transaction. */
export const FOLD_EVERY_MS = 200;
export const FOLD_BATCH = 20_000;
/** With no delta appended by this process, the folder still looks every so often (other instances append too). */
export const FOLD_IDLE_EVERY_MS = 10_000;

/**
 * PostgreSQL: folds appended rollup deltas into the rollup rows in the background (see RollupsRepository.fold).
 * Reads are exact whether or not it has run; it only keeps the delta table short. Nothing to do on SQLite.
 */
@Injectable()
export class RollupFolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Rollups');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(@Inject(RollupsRepository) private readonly rollups: RollupsRepository) {}

  onApplicationBootstrap(): void {
    if (!this.rollups.deltasInUse) return;
    let lastFold = Date.now();
    this.timer = setInterval(() => {
      if (this.running) return;
      if (!this.rollups.appendedSinceFold && Date.now() - lastFold < FOLD_IDLE_EVERY_MS) return;
      this.rollups.appendedSinceFold = false;
      lastFold = Date.now();
      this.running = this.foldAll()
        .catch((error: Error) => this.logger.error(`folding rollup deltas failed: ${error.message}`))
        .finally(() => (this.running = null));
    }, FOLD_EVERY_MS);
    this.timer.unref();
  }

  /** Folds until no delta is left (or another instance holds the folder's lock). */
  async foldAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const folded = await this.rollups.fold(FOLD_BATCH);
      total += folded;
      if (folded < FOLD_BATCH) return total;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
