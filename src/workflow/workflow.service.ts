import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { initialSnapshot, step, statusOf, CURRENT_RULEBOOK_VERSION, type CampaignEventType, type StepResult, type UnitKind } from '../../machines/index.js';
import type { Principal } from '../auth/principal.js';
import type { CommandName } from '../auth/policy.js';
import { canonicalJson } from '../common/canonical-json.js';
import { Clock } from '../common/clock.js';
import {
  idempotencyKeyReused,
  invalidInput,
  InvalidInput,
  notAllowedInState,
  NotAllowedInState,
  notFound,
  NotFound,
  TransitionBlocked,
  transitionBlocked,
  versionConflict,
  VersionConflict,
  IdempotencyKeyReused,
} from '../common/results/error-results.js';
import { Db, Tx } from '../database/db.js';
import { UnitCreationHooks } from '../units/unit-creation-hooks.js';
import { UnitsRepository, type UnitRow } from '../units/units.repository.js';
import { EventStoreRepository, type EventRow, type UnitState } from './event-store.repository.js';
import { eventHash, GENESIS_HASH } from './hash-chain.js';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository.js';
import type { UnitStatus } from '../units/unit-status.model.js';

export type CommandFailure = NotFound | InvalidInput | TransitionBlocked | VersionConflict | NotAllowedInState | IdempotencyKeyReused;

export interface AcceptedCommand {
  unitId: string;
  event: EventRow;
  status: UnitStatus;
  at: number;
}

/** One command on one unit (DOMAIN.md rule 2): accepted → one event; refused → an attempt, nothing else. */
export interface WorkflowCommand<S extends { __typename: string }> {
  name: CommandName;
  unitId: string;
  type: CampaignEventType;
  /** What the event stores: the client's full input (dates as ISO strings) plus ids and facts the server adds. */
  payload: Record<string, unknown>;
  idempotencyKey?: string | null;
  expectedVersion?: number | null;
  reason?: string | null;
  override?: boolean;
  /** A failure found before the command reached the store (e.g. an empty text field): refused and logged as an attempt. */
  invalid?: CommandFailure | null;
  /** Checks against other rows and facts for the event, inside the transaction, after the snapshot is locked. */
  prepare?: (tx: Tx, state: UnitState) => Promise<CommandFailure | Record<string, unknown> | void>;
  /** Read-model writes in the same transaction as the event. */
  project?: (tx: Tx, accepted: AcceptedCommand) => Promise<void>;
  accepted: (accepted: AcceptedCommand) => S;
}

/** Thrown inside the transaction to roll it back when the compare-and-set finds the version moved. */
class LostRace extends Error {
  constructor(readonly currentVersion: number) {
    super('lost the compare-and-set race');
  }
}

const MAX_KEY_LENGTH = 200;
const MAX_REASON_LENGTH = 2000;
/** The attempts log's `command` column (an unknown event name is logged as sent, cut to fit). */
const MAX_ATTEMPT_COMMAND_LENGTH = 40;

export function toStatus(state: UnitState): UnitStatus {
  const view = statusOf(state.snapshot);
  return { unitId: state.unitId, phase: view.phase, activeStates: view.activeStates, version: state.version, rulebookVersion: state.rulebookVersion };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

@Injectable()
export class WorkflowService {
  private readonly logger = new Logger('Workflow');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(IdempotencyRepository) private readonly idempotency: IdempotencyRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
    @Inject(UnitCreationHooks) hooks: UnitCreationHooks,
  ) {
    hooks.register((tx, unit) => this.createState(tx, unit));
  }

  /** A new unit starts `registered` at version 0, in the same transaction as its insert. */
  private async createState(tx: Tx, unit: UnitRow): Promise<void> {
    await this.store.insertState(tx, {
      unitId: unit.id,
      snapshot: initialSnapshot({ kind: unit.kind as UnitKind, leaderCount: unit.leaderCount }, CURRENT_RULEBOOK_VERSION),
      version: 0,
      rulebookVersion: CURRENT_RULEBOOK_VERSION,
      headHash: GENESIS_HASH,
      updatedAt: unit.createdAt,
    });
  }

  async execute<S extends { __typename: string }>(principal: Principal, command: WorkflowCommand<S>): Promise<S | CommandFailure> {
    let key = command.idempotencyKey ?? null;
    let expected = command.expectedVersion ?? null;
    let reason = command.reason?.trim() || null;
    // bad meta fields are refused like any other input (and logged as attempts), after the unit is found
    let invalid = command.invalid ?? null;
    if (key !== null && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
      invalid ??= invalidInput(`idempotencyKey must be 1–${MAX_KEY_LENGTH} characters.`, 'idempotencyKey');
      key = null;
    }
    if (expected !== null && (!Number.isInteger(expected) || expected < 0)) {
      invalid ??= invalidInput('expectedVersion must be a whole number ≥ 0.', 'expectedVersion');
      expected = null;
    }
    if (reason !== null && reason.length > MAX_REASON_LENGTH) {
      invalid ??= invalidInput(`reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
      reason = null;
    }
    command = { ...command, invalid };
    // what an idempotent retry must repeat exactly (only needed with a key)
    const requestHash =
      key === null
        ? ''
        : createHash('sha256')
            .update(canonicalJson({ command: command.name, unitId: command.unitId, type: command.type, payload: command.payload, expectedVersion: expected, reason, override: !!command.override }))
            .digest('hex');

    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction((tx) => this.run(tx, principal, command, { key, expected, reason, requestHash }));
      } catch (error) {
        if (error instanceof LostRace) return versionConflict(error.currentVersion, expected ?? error.currentVersion - 1);
        // Two first uses of one key at once on PostgreSQL: the loser retries and finds the winner's result.
        if (isUniqueViolation(error) && attempt === 0) continue;
        throw error;
      }
    }
  }

  private async run<S extends { __typename: string }>(
    tx: Tx,
    principal: Principal,
    command: WorkflowCommand<S>,
    meta: { key: string | null; expected: number | null; reason: string | null; requestHash: string },
  ): Promise<S | CommandFailure> {
    let reused: IdempotencyKeyReused | null = null;
    if (meta.key !== null) {
      const prior = await this.idempotency.find(tx, principal.sub, meta.key);
      if (prior && prior.requestHash === meta.requestHash) return prior.response as unknown as S;
      if (prior) reused = idempotencyKeyReused(meta.key);
    }
    const state = await this.store.loadStateForUpdate(tx, command.unitId);
    if (!state) return reused ?? notFound('Unit', command.unitId);
    const now = this.clock.now().getTime();
    const refuse = async (failure: CommandFailure): Promise<CommandFailure> => {
      await this.store.recordAttempt(tx, {
        unitId: command.unitId,
        command: (command.name === 'overrideTransition' || command.name.startsWith('sendEvent') ? command.type : command.name).slice(0, MAX_ATTEMPT_COMMAND_LENGTH),
        payload: command.payload,
        actor: principal.sub,
        role: principal.role,
        at: now,
        failure: failure.errorCode,
        detail: { ...failure },
      });
      return failure;
    };

    // Every refusal on an existing unit is an attempt (DOMAIN.md rule 2), whatever stage of the command refused it.
    if (reused) return refuse(reused);
    if (command.invalid) return refuse(command.invalid);
    if (meta.expected !== null && meta.expected !== state.version) return refuse(versionConflict(state.version, meta.expected));
    let payload = command.payload;
    if (command.prepare) {
      const prepared = await command.prepare(tx, state);
      if (prepared && 'errorCode' in prepared) return refuse(prepared as CommandFailure);
      if (prepared) payload = { ...payload, ...prepared };
    }

    const at = new Date(now).toISOString();
    const result: StepResult = step(state.snapshot, { ...payload, type: command.type, at } as never, { override: command.override });
    if (!result.ok) {
      switch (result.failure) {
        case 'NOT_ALLOWED_IN_STATE':
          return refuse(notAllowedInState(result.message, result.activeStates));
        case 'INVALID_INPUT':
          return refuse(invalidInput(result.message, result.field));
        case 'BLOCKED':
          return refuse(transitionBlocked(command.type, result.blockers, result.earliestAt ? new Date(result.earliestAt) : null));
      }
    }

    const seq = state.version + 1;
    const occurredAt = typeof payload.occurredAt === 'string' ? Date.parse(payload.occurredAt) : null;
    const fields = {
      unitId: command.unitId,
      seq,
      type: command.type,
      payload,
      actor: principal.sub,
      role: principal.role,
      reason: meta.reason,
      at: now,
      occurredAt,
      recordedAt: Date.now(),
      rulebookVersion: state.rulebookVersion,
      override: !!command.override,
      idempotencyKey: meta.key,
      prevHash: state.headHash,
    };
    const event: EventRow = { ...fields, hash: eventHash(fields) };
    await this.store.appendEvent(tx, event);
    const next: UnitState = { ...state, snapshot: result.snapshot, version: seq, headHash: event.hash, updatedAt: now };
    if ((await this.store.compareAndSetState(tx, next, state.version)) !== 1) {
      throw new LostRace((await this.store.versionOf(tx, command.unitId)) ?? state.version);
    }
    if (result.status.phase !== statusOf(state.snapshot).phase) await this.units.setPhase(tx, command.unitId, result.status.phase, now);
    const accepted: AcceptedCommand = { unitId: command.unitId, event, status: toStatus(next), at: now };
    if (command.project) await command.project(tx, accepted);
    const success = command.accepted(accepted);
    if (meta.key !== null) {
      await this.idempotency.store(tx, principal.sub, meta.key, { requestHash: meta.requestHash, unitId: command.unitId, response: { ...success } }, now);
    }
    return success;
  }
}
