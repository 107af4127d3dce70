import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { ActivityRepository } from './activity.repository.js';
import { OversightResolver, UnitRollupResolver } from './oversight.resolver.js';
import { OversightService } from './oversight.service.js';
import { RollupFolder } from './rollup-folder.js';
import { RollupMaintainer } from './rollup-maintainer.js';
import { RollupsRepository } from './rollups.repository.js';

/** The office's view of subtrees: rollups kept exact with every command, laggards, rushing, reports. */
@Module({
  imports: [CommandsModule],
  providers: [
    RollupsRepository,
    ActivityRepository,
    RollupMaintainer,
    RollupFolder,
    OversightService,
    OversightResolver,
    UnitRollupResolver,
  ],
  exports: [OversightService, RollupsRepository, ActivityRepository],
})
export class OversightModule {}
