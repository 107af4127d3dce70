import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Policy } from '../auth/policy.decorator.js';
import { decodeCursor, PageArgs, pageSize, toPage } from '../common/pagination.js';
import { UnitModel } from '../units/unit.model.js';
import { FindingConnection, FindingModel } from './finding.model.js';
import { FindingsRepository } from './findings.repository.js';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

@Resolver(() => UnitModel)
export class UnitFindingsResolver {
  constructor(@Inject(FindingsRepository) private readonly repository: FindingsRepository) {}

  @Policy('read')
  @ResolveField(() => FindingConnection, { description: 'Supervision findings against this unit, open and resolved.' })
  async findings(@Parent() unit: UnitModel, @Args() page: PageArgs) {
    const limit = pageSize(page.first);
    const rows = limit === 0 ? [] : await this.repository.findingsOf(unit.id, decodeCursor(page.after), limit + 1);
    return toPage(
      rows,
      limit,
      (r) => r.id,
      (r) =>
        Object.assign(new FindingModel(), { ...r, issuedAt: new Date(r.issuedAt), resolvedAt: date(r.resolvedAt) }),
    );
  }
}
