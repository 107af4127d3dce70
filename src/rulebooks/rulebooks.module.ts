import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { MigrationRepository } from './migration.repository.js';
import { MigrationService } from './migration.service.js';
import { RulebookPublisher } from './rulebook-publisher.js';
import { RulebookQueriesResolver } from './rulebook-queries.resolver.js';
import { RulebooksResolver } from './rulebooks.resolver.js';
import { RulebooksService } from './rulebooks.service.js';

/** Rulebook versions: reading them, publishing a new one, and migrating units to a newer one (rule 5). */
@Module({
  imports: [CommandsModule],
  providers: [
    MigrationService,
    MigrationRepository,
    RulebookPublisher,
    RulebooksResolver,
    RulebooksService,
    RulebookQueriesResolver,
  ],
  exports: [MigrationService],
})
export class RulebooksModule {}
