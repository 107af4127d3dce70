import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { UnitsResolver } from './units.resolver.js';
import { UnitsService } from './units.service.js';

/** The unit tree over the API: create units, read them, their parents and children. */
@Module({
  imports: [CommandsModule],
  providers: [UnitsService, UnitsResolver],
  exports: [UnitsService],
})
export class UnitsModule {}
