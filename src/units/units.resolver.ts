import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
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

  @Query(() => UnitModel, { nullable: true })
  unit(@Args('id', { type: () => ID }) id: string, @Context() ctx: RequestContext) {
    return this.loaders(ctx).byId.load(id);
  }

  @Query(() => UnitConnection)
  units(@Args() args: UnitsArgs) {
    return this.service.list(args, args.first, args.after);
  }

  @Mutation(() => CreateUnitResult)
  createUnit(@Args('input') input: CreateUnitInput, @CurrentPrincipal() principal: Principal) {
    return this.service.createAs(principal, input);
  }

  @ResolveField(() => UnitModel, { nullable: true })
  parent(@Parent() unit: UnitModel, @Context() ctx: RequestContext) {
    return unit.parentId ? this.loaders(ctx).byId.load(unit.parentId) : null;
  }

  @ResolveField(() => UnitConnection)
  children(@Parent() unit: UnitModel, @Args() page: PageArgs, @Context() ctx: RequestContext) {
    return this.loaders(ctx).children(page.first, page.after).load(unit.id);
  }
}
