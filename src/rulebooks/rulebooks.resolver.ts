import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { Policy } from '../auth/policy.decorator.js';
import type { Principal } from '../auth/principal.js';
import { MigrateUnitsInput, MigrationReport } from './migration.models.js';
import { MigrationService } from './migration.service.js';
import { PublishRulebookInput, PublishRulebookResult } from './publish.models.js';
import { RulebookPublisher } from './rulebook-publisher.js';

@Resolver()
export class RulebooksResolver {
  constructor(
    @Inject(MigrationService) private readonly migration: MigrationService,
    @Inject(RulebookPublisher) private readonly publisher: RulebookPublisher,
  ) {}

  @Policy('publishRulebook')
  @Mutation(() => PublishRulebookResult, {
    description:
      'Admins of the whole tree: publish a new rulebook version that changes numbers and lists of an existing one (new units start on it).',
  })
  publishRulebook(@Args('input') input: PublishRulebookInput, @CurrentPrincipal() principal: Principal) {
    return this.publisher.publish(principal, input);
  }

  @Policy('migrateUnits')
  @Mutation(() => MigrationReport, {
    description:
      'Admins of the subtree: move every unit to a newer rulebook (a RULEBOOK_MIGRATED event each), reporting unit by unit what each lacks.',
  })
  async migrateUnits(
    @Args('input') input: MigrateUnitsInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MigrationReport> {
    return (await this.migration.migrate(principal, input)) as MigrationReport;
  }
}
