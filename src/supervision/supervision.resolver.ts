import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import * as I from './supervision.inputs.js';
import * as R from './supervision.results.js';
import { SupervisionService } from './supervision.service.js';

@Resolver()
export class SupervisionResolver {
  constructor(@Inject(SupervisionService) private readonly supervision: SupervisionService) {}

  @Policy('issueFinding')
  @Mutation(() => R.IssueFindingResult, {
    description: 'An open finding blocks REQUEST_LOOKBACK until it is resolved.',
  })
  issueFinding(@Args('input') input: I.IssueFindingInput, @CurrentPrincipal() principal: Principal) {
    return this.supervision.issueFinding(principal, input);
  }

  @Policy('resolveFinding')
  @Mutation(() => R.ResolveFindingResult)
  resolveFinding(@Args('input') input: I.ResolveFindingInput, @CurrentPrincipal() principal: Principal) {
    return this.supervision.resolveFinding(principal, input);
  }

  @Policy('recordLookBackVerdict')
  @Mutation(() => R.RecordLookBackVerdictResult, {
    description: 'PASS or FAIL on one of the four items; only in lookBack.',
  })
  recordLookBackVerdict(@Args('input') input: I.RecordLookBackVerdictInput, @CurrentPrincipal() principal: Principal) {
    return this.supervision.recordLookBackVerdict(principal, input);
  }
}
