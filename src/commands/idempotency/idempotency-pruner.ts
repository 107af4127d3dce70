import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../clock/clock.js';
import { IdempotencyRepository } from './idempotency.repository.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Keys are kept 24 hours at least, then pruned: at boot and every hour. */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async prune(): Promise<number> {
    const removed = await this.keys.prune(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS);
    if (removed > 0) this.logger.log(`pruned ${removed} idempotency keys older than 24 hours`);
    return removed;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.prune();
    this.timer = setInterval(() => this.prune().catch((e: Error) => this.logger.error(e.message)), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
