import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { EvidenceQueries } from './evidence-queries.service.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceResolver } from './evidence.resolver.js';
import { EvidenceService } from './evidence.service.js';
import { UnitEvidenceResolver } from './unit-evidence.resolver.js';

/** What officers record (study, lectures, films, opinions, deliberations, problems) and its read models. */
@Module({
  imports: [CommandsModule],
  providers: [EvidenceRepository, EvidenceService, EvidenceQueries, EvidenceResolver, UnitEvidenceResolver],
})
export class EvidenceModule {}
