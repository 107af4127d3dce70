import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { uuidv7 } from '../common/ids.js';
import { invalidInput, notFound } from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import { CommandRunner } from '../workflow/command-runner.js';
import { accepted, FindingIssued, FindingResolved, VerdictRecorded } from '../workflow/models/command-results.js';
import { ReadModelsRepository } from '../workflow/read-models.repository.js';
import type { IssueFindingInput, RecordLookBackVerdictInput, ResolveFindingInput } from '../workflow/workflow.inputs.js';
import type { AcceptedCommand, CommandFailure } from '../workflow/workflow.service.js';

/** What supervision groups (督导组) do: findings, and the look-back's verdicts. */
@Injectable()
export class SupervisionService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(ReadModelsRepository) private readonly readModels: ReadModelsRepository,
  ) {}

  issueFinding(principal: Principal, input: IssueFindingInput): Promise<FindingIssued | CommandFailure> {
    return this.commands.submit(principal, {
      name: 'issueFinding',
      type: 'FINDING_ISSUED',
      unitId: input.unitId,
      input,
      texts: { note: input.note },
      prepare: async () => ({ findingId: uuidv7() }),
      project: (tx: Tx, a: AcceptedCommand) =>
        this.readModels.insertFinding(tx, {
          id: a.event.payload.findingId as string,
          unitId: input.unitId,
          kind: input.kind,
          note: input.note,
          issuedBy: principal.sub,
          issuedAt: a.at,
          resolvedAt: null,
          resolvedBy: null,
          response: null,
        }),
      accepted: (a) => accepted(FindingIssued, a.status, a.event.seq, { findingId: a.event.payload.findingId as string }),
    });
  }

  resolveFinding(principal: Principal, input: ResolveFindingInput): Promise<FindingResolved | CommandFailure> {
    return this.commands.submit(principal, {
      name: 'resolveFinding',
      type: 'FINDING_RESOLVED',
      unitId: input.unitId,
      input,
      texts: { response: input.response },
      prepare: async (tx: Tx) => {
        const finding = await this.readModels.findFinding(tx, input.findingId);
        if (!finding) return notFound('Finding', input.findingId);
        if (finding.unitId !== input.unitId) return invalidInput(`Finding ${input.findingId} was issued against another unit.`, 'findingId');
      },
      project: (tx: Tx, a: AcceptedCommand) => this.readModels.resolveFinding(tx, input.findingId, a.at, principal.sub, input.response),
      accepted: (a) => accepted(FindingResolved, a.status, a.event.seq),
    });
  }

  recordLookBackVerdict(principal: Principal, input: RecordLookBackVerdictInput): Promise<VerdictRecorded | CommandFailure> {
    return this.commands.submit(principal, {
      name: 'recordLookBackVerdict',
      type: 'LOOKBACK_VERDICT',
      unitId: input.unitId,
      input,
      texts: { note: input.note },
      permit: (unit) => this.commands.refuseSelfJudgement(principal, unit.id),
      accepted: (a) => accepted(VerdictRecorded, a.status, a.event.seq),
    });
  }
}
