import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { accepted } from '../commands/accepted.js';
import { CommandBus } from '../commands/command-bus.js';
import { uuidv7 } from '../common/ids.js';
import { mustBelong, type EventCommandFailure } from '../common/results/error-results.js';
import { FindingsRepository } from './findings.repository.js';
import * as I from './supervision.inputs.js';
import { FindingIssued, FindingResolved, VerdictRecorded } from './supervision.results.js';

/** What supervision groups (督导组) do: findings, and the look-back's verdicts — each one command on one unit. */
@Injectable()
export class SupervisionService {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(FindingsRepository) private readonly findings: FindingsRepository,
  ) {}

  issueFinding(principal: Principal, input: I.IssueFindingInput): Promise<FindingIssued | EventCommandFailure> {
    return this.bus.submit(principal, {
      operation: 'issueFinding',
      type: 'FINDING_ISSUED',
      unitId: input.unitId,
      input,
      shape: I.ISSUE_FINDING,
      prepare: async () => ({ findingId: uuidv7() }),
      project: (tx, a) =>
        this.findings.insertFinding(tx, {
          id: a.event.payload.findingId as string,
          unitId: a.unitId,
          kind: a.event.payload.kind as string,
          note: a.event.payload.note as string,
          issuedBy: principal.sub,
          issuedAt: a.at,
          resolvedAt: null,
          resolvedBy: null,
          response: null,
        }),
      accepted: (a) =>
        accepted(FindingIssued, a.status, a.event.seq, { findingId: a.event.payload.findingId as string }),
    });
  }

  resolveFinding(principal: Principal, input: I.ResolveFindingInput): Promise<FindingResolved | EventCommandFailure> {
    return this.bus.submit(principal, {
      operation: 'resolveFinding',
      type: 'FINDING_RESOLVED',
      unitId: input.unitId,
      input,
      shape: I.RESOLVE_FINDING,
      prepare: async (tx) => {
        const finding = await this.findings.findFinding(tx, input.findingId);
        const ref = {
          entity: 'Finding',
          id: input.findingId,
          field: 'findingId',
          unitId: input.unitId,
          elsewhere: 'the finding was issued against another unit.',
        };
        return mustBelong(finding?.unitId, ref);
      },
      project: (tx, a) =>
        this.findings.resolveFinding(tx, input.findingId, a.at, principal.sub, a.event.payload.response as string),
      accepted: (a) => accepted(FindingResolved, a.status, a.event.seq),
    });
  }

  recordLookBackVerdict(
    principal: Principal,
    input: I.RecordLookBackVerdictInput,
  ): Promise<VerdictRecorded | EventCommandFailure> {
    return this.bus.submit(principal, {
      operation: 'recordLookBackVerdict',
      type: 'LOOKBACK_VERDICT',
      unitId: input.unitId,
      input,
      shape: I.RECORD_LOOKBACK_VERDICT,
      accepted: (a) => accepted(VerdictRecorded, a.status, a.event.seq),
    });
  }
}
