import { Inject } from '@nestjs/common';
import { Policy } from '../auth/policy.decorator.js';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ArgsType, Field } from '@nestjs/graphql';
import { PageArgs } from '../common/pagination.js';
import { perRequest } from '../common/request-context.js';
import type { RequestContext } from '../common/request-context.js';
import { FindingConnection, OpinionConnection, ProblemConnection } from '../evidence/evidence.models.js';
import { UnitModel } from '../units/unit.model.js';
import { UnitsService } from '../units/units.service.js';
import type { UnitState } from './event-store.repository.js';
import { CommandAttemptConnection, GateProgress, TransitionOption, UnitEventConnection } from './models/workflow.models.js';
import { UnitWorkflowService } from './unit-workflow.service.js';

@ArgsType()
class OpinionsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only opinions routed here by another unit and not yet claimed.' })
  unclaimedOnly?: boolean;
}

@Resolver(() => UnitModel)
export class UnitWorkflowResolver {
  constructor(
    @Inject(UnitWorkflowService) private readonly workflow: UnitWorkflowService,
    @Inject(UnitsService) private readonly units: UnitsService,
  ) {}

  private async state(unit: UnitModel, ctx: RequestContext): Promise<UnitState> {
    const state = await perRequest(ctx, 'unitStates', () => this.workflow.createStateLoader()).load(unit.id);
    if (!state) throw new Error(`unit ${unit.id} has no stored state`);
    return state;
  }

  @Policy('read')
  @ResolveField(() => [TransitionOption], { description: 'Every stage event of the machine, allowed or not, and why not.' })
  async transitions(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    const parent = unit.parentId ? await perRequest(ctx, 'units', () => this.units.createLoaders()).byId.load(unit.parentId) : null;
    return this.workflow.transitions(await this.state(unit, ctx), parent?.phase ?? null);
  }

  @Policy('read')
  @ResolveField(() => [GateProgress], { description: 'Each gate condition of the unit\'s kind: required, actual, met.' })
  async progress(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    return this.workflow.progress(await this.state(unit, ctx));
  }

  @Policy('read')
  @ResolveField(() => UnitEventConnection)
  history(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    return this.workflow.history(unit.id, page.first, page.after);
  }

  @Policy('read')
  @ResolveField(() => CommandAttemptConnection, { description: 'Refused commands (not history): who, when, and what blocked them.' })
  attempts(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    return this.workflow.attempts(unit.id, page.first, page.after);
  }

  @Policy('read')
  @ResolveField(() => OpinionConnection, { description: 'Opinions about this unit, whoever collected them.' })
  opinions(@Parent() unit: UnitModel, @Args() args: OpinionsArgs) {
    return this.workflow.opinions(unit.id, args.unclaimedOnly ?? false, args.first, args.after);
  }

  @Policy('read')
  @ResolveField(() => ProblemConnection)
  problems(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    return this.workflow.problems(unit.id, page.first, page.after);
  }

  @Policy('read')
  @ResolveField(() => FindingConnection)
  findings(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    return this.workflow.findings(unit.id, page.first, page.after);
  }
}
