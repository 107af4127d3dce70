import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { Access } from '../commands/access.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { EvidenceRepository } from './evidence.repository.js';
import { OpinionModel, ProblemModel } from './evidence.models.js';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Opinions and problems of a unit, a page at a time; a collecting unit outside the reader's scope is not named. */
@Injectable()
export class EvidenceQueries {
  constructor(
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
    @Inject(Access) private readonly access: Access,
  ) {}

  async opinions(
    principal: Principal,
    unitId: string,
    unclaimedOnly: boolean,
    first?: number | null,
    after?: string | null,
  ) {
    const limit = pageSize(first);
    const rows =
      limit === 0 ? [] : await this.evidence.opinionsOf(unitId, decodeCursor(after), limit + 1, unclaimedOnly);
    const visible = await this.access.visibleIds(
      principal,
      rows.map((r) => r.collectedByUnitId),
    );
    return toPage(
      rows,
      limit,
      (r) => r.id,
      (r) =>
        Object.assign(new OpinionModel(), {
          ...r,
          collectedByUnitId: visible.has(r.collectedByUnitId) ? r.collectedByUnitId : null,
          occurredAt: new Date(r.occurredAt),
          recordedAt: new Date(r.recordedAt),
          claimedAt: date(r.claimedAt),
          routed: r.collectedByUnitId !== r.targetUnitId,
        }),
    );
  }

  async problems(unitId: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const rows = limit === 0 ? [] : await this.evidence.problemsOf(unitId, decodeCursor(after), limit + 1);
    return toPage(
      rows,
      limit,
      (r) => r.id,
      (r) =>
        Object.assign(new ProblemModel(), {
          ...r,
          dueAt: date(r.dueAt),
          identifiedAt: new Date(r.identifiedAt),
          rectifiedAt: date(r.rectifiedAt),
        }),
    );
  }
}
