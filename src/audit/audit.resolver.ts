import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { renderMermaid, RULEBOOK_V1 } from '../../machines/index.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UnitStatus } from '../history/unit-status.model.js';
import { AuditCheckpointModel, ReplayModel, VerificationModel } from './audit.models.js';
import { AuditQueriesService } from './audit-queries.service.js';

@Resolver()
export class AuditResolver {
  constructor(@Inject(AuditQueriesService) private readonly audit: AuditQueriesService) {}

  @Policy('replay')
  @Query(() => ReplayModel, { description: 'Auditors: every step of a unit\'s history, state before/after, gates as evaluated then.' })
  replay(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Args('until', { type: () => GraphQLISODateTime, nullable: true }) until: Date | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Steps in this page (default and most: 100).' }) first: number | null,
    @Args('after', { type: () => Int, nullable: true, description: "Steps after this seq (a page's nextAfter)." }) after: number | null,
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
  @Query(() => UnitStatus, { nullable: true, description: 'The status the unit had at that moment (null before it existed).' })
  unitAsOf(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Args('at', { type: () => GraphQLISODateTime }) at: Date,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.audit.asOf(principal, unitId, at);
  }

  @Policy('machineDiagram')
  @Query(() => String, { description: 'The statechart as Mermaid stateDiagram-v2 text, derived from the machine.' })
  machineDiagram(@CurrentPrincipal() principal: Principal) {
    return this.audit.diagram(principal, () => renderMermaid(RULEBOOK_V1));
  }

  @Policy('createAuditCheckpoint')
  @Mutation(() => AuditCheckpointModel, { description: 'Admins: sign a digest over every unit\'s chain head (detects deleted newest events).' })
  createAuditCheckpoint(@CurrentPrincipal() principal: Principal) {
    return this.audit.checkpoint(principal);
  }
}
