import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { PageArgs } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import { CommandAttemptConnection, UnitEventConnection } from '../history/history.models.js';
import { UnitModel } from '../units/unit.model.js';
import { UnitHistoryService } from './unit-history.service.js';

@Resolver(() => UnitModel)
export class UnitHistoryResolver {
  constructor(@Inject(UnitHistoryService) private readonly service: UnitHistoryService) {}

  @Policy('read')
  @ResolveField(() => UnitEventConnection, { description: "The unit's append-only history, oldest first." })
  history(@Parent() unit: UnitModel, @Args() page: PageArgs, @Context() ctx: RequestContext) {
    return this.service.history(ctx.principal(), unit.id, page.first, page.after);
  }

  @Policy('read')
  @ResolveField(() => CommandAttemptConnection, {
    description: 'Refused commands (not history): who, when, and what blocked them.',
  })
  attempts(@Parent() unit: UnitModel, @Args() page: PageArgs, @Context() ctx: RequestContext) {
    return this.service.attempts(ctx.principal(), unit.id, page.first, page.after);
  }
}
