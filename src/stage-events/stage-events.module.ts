import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { UnitsModule } from '../units/units.module.js';
import { StageEventsResolver } from './stage-events.resolver.js';
import { StageEventsService } from './stage-events.service.js';
import { TransitionQueries } from './transition-queries.service.js';
import { UnitTransitionsResolver } from './unit-transitions.resolver.js';

/** The statechart's stage events (sent, overridden, sent to a subtree) and the "why not" of each. */
@Module({
  imports: [CommandsModule, UnitsModule],
  providers: [StageEventsService, StageEventsResolver, TransitionQueries, UnitTransitionsResolver],
})
export class StageEventsModule {}
