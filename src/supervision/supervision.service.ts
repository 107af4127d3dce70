import { Inject, Injectable } from '@nestjs/common';
import { forbidden } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { uuidv7 } from '../common/ids.js';
import { invalidInput, notFound, NotFound } from '../common/results/error-results.js';
import { Db, Tx } from '../database/db.js';
import { checkTexts } from '../evidence/text-limits.js';
import { CommandGate, payloadOf } from '../workflow/command-gate.js';
import { EventStoreRepository } from '../workflow/event-store.repository.js';
import { accepted, FindingIssued, FindingResolved, VerdictRecorded } from '../workflow/models/command-results.js';
import { ReadModelsRepository } from '../workflow/read-models.repository.js';
import type { IssueFindingInput, RecordLookBackVerdictInput, ResolveFindingInput } from '../workflow/workflow.inputs.js';
import { AcceptedCommand, CommandFailure, WorkflowService } from '../workflow/workflow.service.js';

/** What supervision groups (督导组) do: findings, and the look-back's verdicts. */
@Injectable()
export class SupervisionService {
  constructor(
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
    @Inject(CommandGate) private readonly gate: CommandGate,
    @Inject(ReadModelsRepository) private readonly readModels: ReadModelsRepository,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(Db) private readonly db: Db,
  ) {}

  async issueFinding(principal: Principal, input: IssueFindingInput): Promise<FindingIssued | CommandFailure> {
    const unit = await this.gate.admit(principal, 'issueFinding', input.unitId);
    if (unit instanceof NotFound) return unit;
    return this.workflow.execute(principal, {
      invalid: checkTexts({ note: input.note }),
      name: 'issueFinding',
      unitId: input.unitId,
      type: 'FINDING_ISSUED',
      payload: payloadOf(input),
      idempotencyKey: input.idempotencyKey,
      expectedVersion: input.expectedVersion,
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

  async resolveFinding(principal: Principal, input: ResolveFindingInput): Promise<FindingResolved | CommandFailure> {
    const unit = await this.gate.admit(principal, 'resolveFinding', input.unitId);
    if (unit instanceof NotFound) return unit;
    return this.workflow.execute(principal, {
      invalid: checkTexts({ response: input.response }),
      name: 'resolveFinding',
      unitId: input.unitId,
      type: 'FINDING_RESOLVED',
      payload: payloadOf(input),
      idempotencyKey: input.idempotencyKey,
      expectedVersion: input.expectedVersion,
      prepare: async (tx: Tx) => {
        const finding = await this.readModels.findFinding(tx, input.findingId);
        if (!finding) return notFound('Finding', input.findingId);
        if (finding.unitId !== input.unitId) return invalidInput(`Finding ${input.findingId} was issued against another unit.`, 'findingId');
      },
      project: (tx: Tx, a: AcceptedCommand) => this.readModels.resolveFinding(tx, input.findingId, a.at, principal.sub, input.response),
      accepted: (a) => accepted(FindingResolved, a.status, a.event.seq),
    });
  }

  async recordLookBackVerdict(principal: Principal, input: RecordLookBackVerdictInput): Promise<VerdictRecorded | CommandFailure> {
    const unit = await this.gate.admit(principal, 'recordLookBackVerdict', input.unitId);
    if (unit instanceof NotFound) return unit;
    const requester = await this.store.lastActorOf(unit.id, 'REQUEST_LOOKBACK');
    if (requester === principal.sub) throw forbidden(`${principal.sub} requested this look-back and may not judge it.`);
    return this.workflow.execute(principal, {
      invalid: checkTexts({ note: input.note }),
      name: 'recordLookBackVerdict',
      unitId: input.unitId,
      type: 'LOOKBACK_VERDICT',
      payload: payloadOf(input),
      idempotencyKey: input.idempotencyKey,
      expectedVersion: input.expectedVersion,
      accepted: (a) => accepted(VerdictRecorded, a.status, a.event.seq),
    });
  }
}
