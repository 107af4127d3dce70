import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { MigrationRepository } from './migration.repository.js';
import { MigrationService } from './migration.service.js';
import { RulebookQueriesResolver } from './rulebook-queries.resolver.js';
import { RulebooksResolver } from './rulebooks.resolver.js';
import { RulebooksService } from './rulebooks.service.js';

/** Rulebook versions: reading them, and migrating units to a newer one (rule 5). */
@Module({
  imports: [CommandsModule],
  providers: [MigrationService, MigrationRepository, RulebooksResolver, RulebooksService, RulebookQueriesResolver],
  exports: [MigrationService],
})
export class RulebooksModule {}
