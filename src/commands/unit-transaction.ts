import { Inject, Injectable, Logger } from '@nestjs/common';
import { STAGE_EVENTS, step, type CampaignEventType, type StepResult } from '../../machines/index.js';
import type { Principal } from '../auth/principal.js';
import {
  invalidInput,
  notAllowedInState,
  transitionBlocked,
  versionConflict,
  type IdempotencyKeyReused,
  type InvalidInput,
  type NotAllowedInState,
  type NotFound,
  type TransitionBlocked,
  type VersionConflict,
} from '../common/results/error-results.js';
import type { Tx } from '../database/db.js';
import type { EventRow, UnitState } from '../history/event-store.repository.js';
import { HistoryService } from '../history/history.service.js';
import { toStatus } from '../history/unit-status.js';
import type { UnitStatus } from '../history/unit-status.model.js';
import { RulebookStore } from '../rulebooks/rulebook-store.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import { CommandListeners } from './command-listeners.js';
import { SeparationOfDuties } from './separation-of-duties.js';
import { cut, refusalDetail, summariseInput } from './attempt-record.js';
import type { CommandMeta } from './command-meta.js';
import { Idempotency, type OwnedKey } from './idempotency/idempotency.js';

export type CommandFailure =
  NotFound | InvalidInput | TransitionBlocked | VersionConflict | NotAllowedInState | IdempotencyKeyReused;

export interface AcceptedCommand {
  unitId: string;
  event: EventRow;
  status: UnitStatus;
  at: number;
}

/** What a feature adds to a unit command: reads inside the transaction, read models, and its success type. */
export interface UnitCommandBody<S extends { __typename: string }> {
  /** Checks against other rows for the event, after the snapshot is locked: a failure, or facts to store with it. */
  prepare?: (tx: Tx, state: UnitState) => Promise<CommandFailure | Record<string, unknown> | void>;
  /** Read-model writes in the same transaction as the event. */
  project?: (tx: Tx, accepted: AcceptedCommand) => Promise<void>;
  accepted: (accepted: AcceptedCommand) => S;
}

export interface ReadyCommand<S extends { __typename: string }> extends UnitCommandBody<S> {
  operation: string;
  unitId: string;
  /** the unit acted on, as the access rule read it (its ancestors, for read models kept per subtree) */
  unit: UnitRow;
  type: CampaignEventType;
  /** normalised (or, when refused, a bounded summary of) the client's input */
  payload: Record<string, unknown>;
  override?: boolean;
  invalid: CommandFailure | null;
  meta: CommandMeta;
  key: OwnedKey | null;
  requestHash: string;
}

/** The attempts log's `command` column: a stage event is logged by its name, anything else by its operation. */
const MAX_ATTEMPT_COMMAND_LENGTH = 40;
function attemptName(command: ReadyCommand<{ __typename: string }>): string {
  const stage = command.operation.startsWith('sendEvent') || command.operation === 'overrideTransition';
  const name = stage
    ? typeof command.payload.event === 'string'
      ? command.payload.event
      : command.type
    : command.operation;
  return cut(name, MAX_ATTEMPT_COMMAND_LENGTH);
}

/**
 * The one transaction of a unit command: the key's earlier answer, the snapshot locked, the expected version, the
 * feature's checks, the statechart's step, then the event appended with the snapshot moved (compare-and-set), the
 * denormalised phase, the read models and the key's answer — all or nothing. Every refusal is an attempt.
 */
@Injectable()
export class UnitTransaction {
  private readonly logger = new Logger('Commands');
  private lastWarnedAt = -Infinity;

  constructor(
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(Idempotency) private readonly idempotency: Idempotency,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(CommandListeners) private readonly listeners: CommandListeners,
    @Inject(SeparationOfDuties) private readonly duties: SeparationOfDuties,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  async run<S extends { __typename: string }>(
    tx: Tx,
    principal: Principal,
    command: ReadyCommand<S>,
    now: number,
  ): Promise<S | CommandFailure> {
    const state = await this.history.lock(tx, command.unitId);
    if (!state) throw new Error(`unit ${command.unitId} has no stored snapshot`);
    // permission before idempotency: a requester's retry of a judgement is refused like the judgement itself
    await this.duties.check(tx, principal, command.unitId, command.type);
    const prior = await this.idempotency.prior(tx, command.key, command.requestHash);
    if (prior.response) return prior.response as unknown as S;
    const refuse = (failure: CommandFailure) => this.refuse(tx, principal, command, failure, now);

    if (prior.reused) return refuse(prior.reused);
    if (command.invalid) return refuse(command.invalid);
    const expected = command.meta.expectedVersion;
    if (expected !== null && expected !== state.version) return refuse(versionConflict(state.version, expected));
    let payload = command.payload;
    if (command.prepare) {
      const prepared = await command.prepare(tx, state);
      if (prepared && 'errorCode' in prepared) return refuse(prepared as CommandFailure);
      if (prepared) payload = { ...payload, ...prepared };
    }

    // a unit's events never go back in time, whichever instance stamps them and whatever its clock did
    const atMs = this.notBefore(state, now);
    const at = new Date(atMs).toISOString();
    // cached by version (documents never change): no query here unless another instance published the version
    const rulebook = await this.rulebooks.rulebook(state.rulebookVersion);
    const result: StepResult = step(state.snapshot, { ...payload, type: command.type, at } as never, rulebook, {
      override: command.override,
    });
    if (!result.ok) {
      switch (result.failure) {
        case 'NOT_ALLOWED_IN_STATE':
          return refuse(notAllowedInState(result.message, result.activeStates));
        case 'INVALID_INPUT':
          return refuse(invalidInput(result.message, result.field));
        case 'BLOCKED':
          // gates block only stage events: the result unions of other commands do not list TransitionBlocked
          if (!(STAGE_EVENTS as readonly string[]).includes(command.type))
            throw new Error(`${command.type} was blocked by gates`);
          return refuse(
            transitionBlocked(command.type, result.blockers, result.earliestAt ? new Date(result.earliestAt) : null),
          );
      }
    }

    const appended = await this.history.append(
      tx,
      state,
      {
        type: command.type,
        payload,
        actor: principal.sub,
        role: principal.role,
        reason: command.meta.reason,
        at: atMs,
        override: !!command.override,
        idempotencyKey: command.meta.idempotencyKey,
      },
      result.snapshot,
    );
    if (result.status.phase !== this.history.phaseOf(state))
      await this.units.setPhase(tx, command.unitId, result.status.phase, atMs);
    await this.listeners.accepted(tx, {
      unit: command.unit,
      before: state,
      after: appended.state,
      event: appended.event,
    });
    const accepted: AcceptedCommand = {
      unitId: command.unitId,
      event: appended.event,
      status: toStatus(appended.state),
      at: atMs,
    };
    if (command.project) await command.project(tx, accepted);
    const success = command.accepted(accepted);
    await this.idempotency.remember(tx, command.key, command.requestHash, command.unitId, { ...success }, now);
    return success;
  }

  /** A refusal on an existing unit: one bounded attempt, and the listeners told (rushing, rollups). */
  async refuse<F extends CommandFailure>(
    tx: Tx,
    principal: Principal,
    command: ReadyCommand<{ __typename: string }>,
    failure: F,
    now: number,
  ): Promise<F> {
    await this.history.recordAttempt(tx, {
      unitId: command.unitId,
      command: attemptName(command),
      payload: summariseInput(command.payload),
      actor: principal.sub,
      role: principal.role,
      at: now,
      failure: failure.errorCode,
      detail: refusalDetail(failure),
    });
    const stage =
      (STAGE_EVENTS as readonly string[]).includes(command.type) &&
      (command.operation.startsWith('sendEvent:') || command.operation === 'overrideTransition');
    await this.listeners.refused(tx, {
      unit: command.unit,
      type: command.type,
      stage,
      errorCode: failure.errorCode,
      at: now,
    });
    return failure;
  }

  /** The later of the clock and the unit's last event (its creation before any): a clock behind is logged, not obeyed. */
  private notBefore(state: UnitState, now: number): number {
    if (now >= state.updatedAt) return now;
    if (now - this.lastWarnedAt > 60_000) {
      this.lastWarnedAt = now;
      this.logger.warn(
        `the clock is ${state.updatedAt - now} ms behind unit ${state.unitId}'s last event: its events are stamped at that event's time`,
      );
    }
    return state.updatedAt;
  }
}
