import { Inject, Injectable } from '@nestjs/common';
import type { CampaignEventType } from '../../machines/index.js';
import { forbidden } from '../auth/auth-errors.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { NotFound } from '../common/results/error-results.js';
import { checkTexts } from '../evidence/text-limits.js';
import type { UnitRow } from '../units/units.repository.js';
import { CommandGate, payloadOf } from './command-gate.js';
import { EventStoreRepository } from './event-store.repository.js';
import type { CommandInput } from './workflow.inputs.js';
import { CommandFailure, WorkflowCommand, WorkflowService } from './workflow.service.js';

export interface CommandSpec<S extends { __typename: string }> extends Pick<WorkflowCommand<S>, 'prepare' | 'project' | 'accepted'> {
  name: CommandName;
  type: CampaignEventType;
  unitId: string;
  /** The client's input: stored as the event's payload (meta fields dropped), with its key and expected version. */
  input: CommandInput;
  /** Free-text fields that must be non-empty and not too long (refused as InvalidInput, logged). */
  texts?: Record<string, unknown>;
  /** A further permission check on the admitted unit (throws FORBIDDEN). */
  permit?: (unit: UnitRow) => Promise<void>;
}

/** The path every evidence and supervision command takes: permission, then one workflow command. */
@Injectable()
export class CommandRunner {
  constructor(
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
    @Inject(CommandGate) private readonly gate: CommandGate,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
  ) {}

  async submit<S extends { __typename: string }>(principal: Principal, spec: CommandSpec<S>): Promise<S | CommandFailure> {
    const unit = await this.gate.admit(principal, spec.name, spec.unitId);
    if (unit instanceof NotFound) return unit;
    if (spec.permit) await spec.permit(unit);
    return this.workflow.execute(principal, {
      invalid: checkTexts(spec.texts ?? {}),
      name: spec.name,
      unitId: spec.unitId,
      type: spec.type,
      payload: payloadOf(spec.input),
      idempotencyKey: spec.input.idempotencyKey,
      expectedVersion: spec.input.expectedVersion,
      prepare: spec.prepare,
      project: spec.project,
      accepted: spec.accepted,
    });
  }

  /** The supervisor who judges a look-back may not be the principal who requested it. */
  async refuseSelfJudgement(principal: Principal, unitId: string): Promise<void> {
    const requester = await this.store.lastActorOf(unitId, 'REQUEST_LOOKBACK');
    if (requester === principal.sub) throw forbidden(`${principal.sub} requested this look-back and may not judge it.`);
  }
}
