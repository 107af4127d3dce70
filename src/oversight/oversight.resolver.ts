import { Inject } from '@nestjs/common';
import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { Policy } from '../auth/policy.decorator.js';
import type { Principal } from '../auth/principal.js';
import { PageArgs } from '../common/pagination.js';
import { UnitConnection, UnitModel } from '../units/unit.model.js';
import { OversightService } from './oversight.service.js';
import { renderReport } from './report.js';
import {
  Imbalance,
  ReportFormatEnum,
  LaggardsArgs,
  RollupConnection,
  RollupModel,
  RushingArgs,
} from './rollup.models.js';

@Resolver(() => RollupModel)
export class OversightResolver {
  constructor(@Inject(OversightService) private readonly service: OversightService) {}

  @Policy('read')
  @Query(() => RollupModel, {
    description: "The rollup of the unit's subtree (itself and every descendant), exact as of the read.",
  })
  rollup(@Args('unitId', { type: () => ID }) unitId: string, @CurrentPrincipal() principal: Principal) {
    return this.service.rollup(principal, unitId);
  }

  @Policy('read')
  @Query(() => UnitConnection, {
    description:
      'Units of the subtree (the unit itself included) not in stage1Complete, idle for at least idleDays: no accepted event since (or, ' +
      'while registered, since the parent launched), oldest idleness first.',
  })
  laggards(@Args() args: LaggardsArgs, @CurrentPrincipal() principal: Principal) {
    return this.service.laggards(principal, args);
  }

  @Policy('read')
  @Query(() => UnitConnection, {
    description:
      'Units of the subtree (itself included) with at least minAttempts refused stage events in the last sinceDays campaign days, most first.',
  })
  rushing(@Args() args: RushingArgs, @CurrentPrincipal() principal: Principal) {
    return this.service.rushing(principal, args);
  }

  @Policy('read')
  @Query(() => String, {
    description:
      "The report upward (学习贯彻情况，请及时反馈) of the unit's subtree, as `npm run report` prints it: its rollup, one row per child, the uneven children and the laggards named.",
  })
  async report(
    @Args('unitId', { type: () => ID }) unitId: string,
    @Args('format', { type: () => ReportFormatEnum, defaultValue: 'MARKDOWN' }) format: keyof typeof ReportFormatEnum,
    @CurrentPrincipal() principal: Principal,
  ) {
    const report = await this.service.report(await this.service.root(principal, unitId));
    return renderReport(report, format === 'CSV' ? 'csv' : 'md');
  }

  @Policy('read')
  @ResolveField(() => Int, {
    description:
      'Refused stage events in the subtree: all time, or in the last sinceDays campaign days (today included).',
  })
  refusedStageEvents(
    @Parent() rollup: RollupModel,
    @Args('sinceDays', { type: () => Int, nullable: true }) sinceDays?: number | null,
  ) {
    return this.service.refusedStageEvents(rollup, sinceDays);
  }

  @Policy('read')
  @ResolveField(() => Imbalance)
  imbalance(@Parent() rollup: RollupModel) {
    return this.service.imbalance(rollup.unitId);
  }

  @Policy('read')
  @ResolveField(() => RollupConnection, { description: "The children's rollups, in the order of Unit.children." })
  children(@Parent() rollup: RollupModel, @Args() page: PageArgs) {
    return this.service.children(rollup.unitId, page.first, page.after);
  }
}

@Resolver(() => UnitModel)
export class UnitRollupResolver {
  constructor(@Inject(OversightService) private readonly service: OversightService) {}

  @Policy('read')
  @ResolveField(() => RollupModel, { description: "The rollup of this unit's subtree (as Query.rollup)." })
  rollup(@Parent() unit: UnitModel) {
    return this.service.rollupOf(unit);
  }
}
