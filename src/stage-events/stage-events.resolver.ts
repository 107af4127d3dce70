import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { Policy } from '../auth/policy.decorator.js';
import type { Principal } from '../auth/principal.js';
import { OverrideTransitionInput, SendEventInput, SendEventToSubtreeInput } from './stage-event.inputs.js';
import { OverrideTransitionResult, SendEventResult, SendEventToSubtreeResult } from './stage-event.results.js';
import { StageEventsService } from './stage-events.service.js';

@Resolver()
export class StageEventsResolver {
  constructor(@Inject(StageEventsService) private readonly stageEvents: StageEventsService) {}

  @Policy('command')
  @Mutation(() => SendEventResult, {
    description: 'A stage event: officers LAUNCH, COMPLETE_* and REQUEST_LOOKBACK; supervisors CONCLUDE_LOOKBACK.',
  })
  sendEvent(@Args('input') input: SendEventInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.send(principal, input);
  }

  @Policy('overrideTransition')
  @Mutation(() => OverrideTransitionResult, {
    description:
      'Admins: a stage event past its gates (never past the statechart), with a mandatory reason, flagged forever.',
  })
  overrideTransition(@Args('input') input: OverrideTransitionInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.send(principal, input, true);
  }

  @Policy('sendEventToSubtree')
  @Mutation(() => SendEventToSubtreeResult, {
    description: 'Admins: one stage event to every unit of a subtree, parents first (压茬启动).',
  })
  sendEventToSubtree(@Args('input') input: SendEventToSubtreeInput, @CurrentPrincipal() principal: Principal) {
    return this.stageEvents.sendToSubtree(principal, input);
  }
}
