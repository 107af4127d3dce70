import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { EventStoreRepository } from '../workflow/event-store.repository.js';
import { AuditQueriesService } from './audit-queries.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';
import { CheckpointScheduler } from './checkpoint-scheduler.js';

@Module({
  imports: [UnitsModule],
  providers: [AuditRepository, AuditService, CheckpointScheduler, AuditQueriesService, AuditResolver, EventStoreRepository],
  exports: [AuditService],
})
export class AuditModule {}
