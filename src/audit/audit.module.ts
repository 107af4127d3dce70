import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { AuditQueriesService } from './audit-queries.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';
import { CheckpointScheduler } from './checkpoint-scheduler.js';
import { UnitHistoryResolver } from './unit-history.resolver.js';
import { UnitHistoryService } from './unit-history.service.js';

/** Reading the trail: a unit's history and attempts, replay, verification, the status as of any moment, checkpoints. */
@Module({
  imports: [CommandsModule],
  providers: [
    AuditRepository,
    AuditService,
    CheckpointScheduler,
    AuditQueriesService,
    AuditResolver,
    UnitHistoryService,
    UnitHistoryResolver,
  ],
  exports: [AuditService],
})
export class AuditModule {}
