import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Policy } from '../auth/policy.decorator.js';
import { PageArgs } from '../common/pagination.js';
import { perRequest } from '../common/request-context.js';
import type { RequestContext } from '../common/request-context.js';
import { CreateUnitInput, UnitsArgs } from './unit.inputs.js';
import { UnitConnection, UnitModel } from './unit.model.js';
import { CreateUnitResult } from './unit.results.js';
import { UnitLoaders, UnitsService } from './units.service.js';

@Resolver(() => UnitModel)
export class UnitsResolver {
  constructor(@Inject(UnitsService) private readonly service: UnitsService) {}

  private loaders(ctx: RequestContext): UnitLoaders {
    return perRequest(ctx, 'units', () => this.service.createLoaders());
  }

  @Policy('read')
  @Query(() => UnitModel, { nullable: true })
  async unit(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal) {
    // one unit, read directly: a per-request loader buys nothing at the root (measured on the status-read bench)
    return this.service.readable(principal, id);
  }

  @Policy('read')
  @Query(() => UnitConnection)
  units(@Args() args: UnitsArgs, @CurrentPrincipal() principal: Principal) {
    return this.service.list(principal, args, args.first, args.after);
  }

  @Policy('createUnit')
  @Mutation(() => CreateUnitResult)
  createUnit(@Args('input') input: CreateUnitInput, @CurrentPrincipal() principal: Principal) {
    return this.service.create(principal, input);
  }

  /** FORBIDDEN above the principal's scope root. */
  @Policy('read')
  @ResolveField(() => UnitModel, { nullable: true })
  async parent(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    if (!unit.parentId) return null;
    return this.service.visible(ctx.principal(), await this.loaders(ctx).byId.load(unit.parentId));
  }

  @Policy('read')
  @ResolveField(() => UnitConnection)
  children(@Parent() unit: UnitModel, @Args() page: PageArgs, @Context() ctx: RequestContext) {
    return this.loaders(ctx).children(page.first, page.after).load(unit.id);
  }
}
