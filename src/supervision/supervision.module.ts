import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { FindingsRepository } from './findings.repository.js';
import { SupervisionResolver } from './supervision.resolver.js';
import { SupervisionService } from './supervision.service.js';
import { UnitFindingsResolver } from './unit-findings.resolver.js';

/** Supervision groups: findings against units, and the look-back's verdicts. */
@Module({
  imports: [CommandsModule],
  providers: [FindingsRepository, SupervisionService, SupervisionResolver, UnitFindingsResolver],
})
export class SupervisionModule {}
