import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { MigrationService } from './migration.service.js';
import { RulebooksResolver } from './rulebooks.resolver.js';

/** Rulebook versions: migrating units to a newer one (rule 5). */
@Module({
  imports: [CommandsModule],
  providers: [MigrationService, RulebooksResolver],
  exports: [MigrationService],
})
export class RulebooksModule {}
