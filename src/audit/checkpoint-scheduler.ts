import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { AuditService } from './audit.service.js';

/** Optional: a checkpoint every LOOKBACK_CHECKPOINT_MINUTES (0, the default: only on demand). */
@Injectable()
export class CheckpointScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(AuditService) private readonly audit: Pick<AuditService, 'createCheckpoint'>,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'checkpointEveryMinutes' | 'auditKey'>,
  ) {}

  async tick(): Promise<void> {
    try {
      const checkpoint = await this.audit.createCheckpoint();
      this.logger.log(`checkpoint ${checkpoint.id}: ${checkpoint.unitCount} chain heads`);
    } catch (error) {
      this.logger.error(`scheduled checkpoint failed: ${(error as Error).message}`);
    }
  }

  onApplicationBootstrap(): void {
    const minutes = this.config.checkpointEveryMinutes;
    if (minutes === 0) return;
    if (!this.config.auditKey) {
      this.logger.warn('LOOKBACK_CHECKPOINT_MINUTES is set but LOOKBACK_AUDIT_KEY is not: no scheduled checkpoints.');
      return;
    }
    this.timer = setInterval(() => void this.tick(), minutes * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
