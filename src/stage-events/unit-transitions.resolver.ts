import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { perRequest, type RequestContext } from '../common/request-context.js';
import type { UnitState } from '../history/event-store.repository.js';
import { UnitModel } from '../units/unit.model.js';
import { UnitsService } from '../units/units.service.js';
import { GateProgress, TransitionOption } from '../history/transition-option.model.js';
import { TransitionQueries } from './transition-queries.service.js';

@Resolver(() => UnitModel)
export class UnitTransitionsResolver {
  constructor(
    @Inject(TransitionQueries) private readonly queries: TransitionQueries,
    @Inject(UnitsService) private readonly units: UnitsService,
  ) {}

  private async state(unit: UnitModel, ctx: RequestContext): Promise<UnitState> {
    const state = await perRequest(ctx, 'unitStates', () => this.queries.createStateLoader()).load(unit.id);
    if (!state) throw new Error(`unit ${unit.id} has no stored state`);
    return state;
  }

  @Policy('read')
  @ResolveField(() => [TransitionOption], {
    description: 'Every stage event of the machine, allowed or not, and why not.',
  })
  async transitions(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    const parent = unit.parentId
      ? await perRequest(ctx, 'units', () => this.units.createLoaders()).byId.load(unit.parentId)
      : null;
    return this.queries.transitions(await this.state(unit, ctx), parent?.phase ?? null);
  }

  @Policy('read')
  @ResolveField(() => [GateProgress], { description: "Each gate condition of the unit's kind: required, actual, met." })
  async progress(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    return this.queries.progress(await this.state(unit, ctx));
  }
}
