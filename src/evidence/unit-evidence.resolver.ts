import { Inject } from '@nestjs/common';
import { Args, ArgsType, Context, Field, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { PageArgs } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import { UnitModel } from '../units/unit.model.js';
import { EvidenceQueries } from './evidence-queries.service.js';
import { OpinionConnection, ProblemConnection } from './evidence.models.js';

@ArgsType()
class OpinionsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only opinions routed here by another unit and not yet claimed.' })
  unclaimedOnly?: boolean;
}

/** A unit's opinions and problems (the unit itself was scope-checked where it was read). */
@Resolver(() => UnitModel)
export class UnitEvidenceResolver {
  constructor(@Inject(EvidenceQueries) private readonly evidence: EvidenceQueries) {}

  @Policy('read')
  @ResolveField(() => OpinionConnection, { description: 'Opinions about this unit, whoever collected them.' })
  opinions(@Parent() unit: UnitModel, @Args() args: OpinionsArgs, @Context() ctx: RequestContext) {
    return this.evidence.opinions(ctx.principal(), unit.id, args.unclaimedOnly ?? false, args.first, args.after);
  }

  @Policy('read')
  @ResolveField(() => ProblemConnection)
  problems(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    return this.evidence.problems(unit.id, page.first, page.after);
  }
}
