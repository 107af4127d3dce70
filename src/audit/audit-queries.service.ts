import { Inject, Injectable } from '@nestjs/common';
import { Access } from '../commands/access.js';
import { notFoundError } from '../common/results/not-found.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import type { UnitRow } from '../tree/units.repository.js';
import { toEventModel, unitIdsOf } from '../history/history.models.js';
import { toStatus } from '../history/unit-status.js';
import { badArgument, MAX_PAGE_SIZE, pageSize } from '../common/pagination.js';
import { TransitionOption } from '../history/transition-option.model.js';
import { AuditCheckpointModel, ReplayModel, ReplayStepModel, VerificationModel } from './audit.models.js';
import { AuditService } from './audit.service.js';

/** The audit API: permission and scope first, then the audit service. */
@Injectable()
export class AuditQueriesService {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Access) private readonly access: Access,
  ) {}

  private async unitFor(principal: Principal, operation: CommandName, unitId: string): Promise<UnitRow> {
    const unit = await this.access.require(principal, operation, unitId);
    if (!unit) throw notFoundError('Unit');
    return unit;
  }

  async replay(
    principal: Principal,
    unitId: string,
    until: Date | null,
    first: number | null | undefined,
    after: number | null | undefined,
  ): Promise<ReplayModel> {
    const unit = await this.unitFor(principal, 'replay', unitId);
    const size = pageSize(first ?? MAX_PAGE_SIZE);
    if (after != null && (!Number.isInteger(after) || after < 0))
      throw badArgument('after must be the seq of a step (a whole number ≥ 0).');
    const replay = await this.audit.replay(unit, until, after ?? 0, size);
    const visible =
      principal.scopeUnitId === null
        ? null
        : await this.access.visibleIds(
            principal,
            replay.steps.flatMap((s) => unitIdsOf(s.payload)),
          );
    return Object.assign(new ReplayModel(), {
      unitId,
      until,
      diverged: replay.diverged,
      hasMore: replay.hasMore,
      nextAfter: replay.hasMore ? (replay.steps.at(-1)?.seq ?? after ?? 0) : null,
      status: toStatus({
        unitId,
        snapshot: replay.final.snapshot,
        version: replay.final.version,
        rulebookVersion: replay.final.rulebookVersion,
        headHash: '',
        updatedAt: 0,
      }),
      steps: replay.steps.map((s) =>
        Object.assign(new ReplayStepModel(), {
          ...toEventModel(s, visible),
          stateBefore: s.stateBefore,
          stateAfter: s.stateAfter,
          refusal: s.refusal,
          gates: s.gates.map((g) =>
            Object.assign(new TransitionOption(), { ...g, earliestAt: g.earliestAt ? new Date(g.earliestAt) : null }),
          ),
        }),
      ),
    });
  }

  async verify(principal: Principal, unitId: string): Promise<VerificationModel> {
    const unit = await this.unitFor(principal, 'verifyHistory', unitId);
    return Object.assign(new VerificationModel(), await this.audit.verify(unit));
  }

  async asOf(principal: Principal, unitId: string, at: Date) {
    const unit = await this.unitFor(principal, 'unitAsOf', unitId);
    const state = await this.audit.asOf(unit, at);
    return (
      state &&
      toStatus({
        unitId,
        snapshot: state.snapshot,
        version: state.version,
        rulebookVersion: state.rulebookVersion,
        headHash: '',
        updatedAt: 0,
      })
    );
  }

  diagram(principal: Principal, render: () => Promise<string>): Promise<string> {
    this.access.requireRole(principal, 'machineDiagram');
    return render();
  }

  async checkpoint(principal: Principal): Promise<AuditCheckpointModel> {
    this.access.requireWholeTree(principal, 'createAuditCheckpoint');
    const row = await this.audit.createCheckpoint();
    return Object.assign(new AuditCheckpointModel(), { ...row, createdAt: new Date(row.createdAt) });
  }
}
