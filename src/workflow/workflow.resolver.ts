import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, createUnionType, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { InvalidInput, NotFound } from '../common/results/error-results.js';
import { OverrideTransitionResult, SendEventResult } from './models/command-results.js';
import { BulkEventSummary, StageEventsService } from './stage-events.service.js';
import { OverrideTransitionInput, SendEventInput, SendEventToSubtreeInput } from './workflow.inputs.js';

const SendEventToSubtreeResult = createUnionType({
  name: 'SendEventToSubtreeResult',
  types: () => [BulkEventSummary, InvalidInput, NotFound] as const,
  resolveType: (value: { __typename: string }) => value.__typename,
});

@Resolver()
export class WorkflowResolver {
  constructor(@Inject(StageEventsService) private readonly stageEvents: StageEventsService) {}

  @Policy('command')
  @Mutation(() => SendEventResult, { description: 'A stage event: officers LAUNCH, COMPLETE_* and REQUEST_LOOKBACK; supervisors CONCLUDE_LOOKBACK.' })
  sendEvent(@Args('input') input: SendEventInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.send(principal, input);
  }

  @Policy('overrideTransition')
  @Mutation(() => OverrideTransitionResult, { description: 'Admins: a stage event past its gates (never past the statechart), with a mandatory reason, flagged forever.' })
  overrideTransition(@Args('input') input: OverrideTransitionInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.override(principal, input);
  }

  @Policy('sendEventToSubtree')
  @Mutation(() => SendEventToSubtreeResult, { description: 'Admins: one stage event to every unit of a subtree, parents first (压茬启动).' })
  sendEventToSubtree(@Args('input') input: SendEventToSubtreeInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.sendToSubtree(principal, input);
  }
}
