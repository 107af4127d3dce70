import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { renderMermaid } from '../../machines/index.js';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';
import { RulebookStore, UnknownRulebook } from '../rulebooks/rulebook-store.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UnitStatus } from '../history/unit-status.model.js';
import { AuditCheckpointModel, ReplayModel, VerificationModel } from './audit.models.js';
import { AuditQueriesService } from './audit-queries.service.js';

@Resolver()
export class AuditResolver {
  constructor(
    @Inject(AuditQueriesService) private readonly audit: AuditQueriesService,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  @Policy('replay')
  @Query(() => ReplayModel, {
    description: "Auditors: every step of a unit's history, state before/after, gates as evaluated then.",
  })
  replay(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Args('until', { type: () => GraphQLISODateTime, nullable: true }) until: Date | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Steps in this page (default and most: 100).' })
    first: number | null,
    @Args('after', { type: () => Int, nullable: true, description: "Steps after this seq (a page's nextAfter)." })
    after: number | null,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.audit.replay(principal, unitId, until ?? null, first, after);
  }

  @Policy('verifyHistory')
  @Query(() => VerificationModel, { description: 'Auditors: hash chain + replay == stored state + checkpoint.' })
  verifyHistory(@Args('unitId', { type: () => ID }) unitId: string, @CurrentPrincipal() principal: Principal) {
    return this.audit.verify(principal, unitId);
  }

  @Policy('unitAsOf')
  @Query(() => UnitStatus, {
    nullable: true,
    description: 'The status the unit had at that moment (null before it existed).',
  })
  unitAsOf(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Args('at', { type: () => GraphQLISODateTime }) at: Date,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.audit.asOf(principal, unitId, at);
  }

  @Policy('machineDiagram')
  @Query(() => String, {
    description:
      "The statechart of a rulebook version (default: new units' current one) as Mermaid stateDiagram-v2 text, derived from the machine.",
  })
  machineDiagram(
    @CurrentPrincipal() principal: Principal,
    @Args('version', {
      type: () => Int,
      nullable: true,
      description: "A rulebook version, e.g. a unit's status.rulebookVersion.",
    })
    version?: number | null,
  ) {
    return this.audit.diagram(principal, async () => {
      const wanted = version ?? (await this.rulebooks.currentVersion());
      try {
        return renderMermaid(await this.rulebooks.rulebook(wanted));
      } catch (error) {
        if (error instanceof UnknownRulebook) throw apiError(ApiErrorCode.NOT_FOUND, error.message);
        throw error;
      }
    });
  }

  @Policy('createAuditCheckpoint')
  @Mutation(() => AuditCheckpointModel, {
    description: "Admins: sign a digest over every unit's chain head (detects deleted newest events).",
  })
  createAuditCheckpoint(@CurrentPrincipal() principal: Principal) {
    return this.audit.checkpoint(principal);
  }
}
