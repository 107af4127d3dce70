import { Inject, Injectable } from '@nestjs/common';
import type { CampaignEventType, StageEventType } from '../../machines/index.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../clock/clock.js';
import {
  invalidInput,
  notFound,
  type EventCommandFailure,
  type IdempotencyKeyReused,
  type InvalidInput,
  type NotFound,
  type StageEventFailure,
  type VersionConflict,
} from '../common/results/error-results.js';
import { Db, type Tx } from '../database/db.js';
import type { UnitState } from '../history/event-store.repository.js';
import { HistoryService } from '../history/history.service.js';
import type { UnitRow } from '../tree/units.repository.js';
import { Access } from './access.js';
import { refusalDetail, summariseInput } from './attempt-record.js';
import { CommandMeta, readMeta } from './command-meta.js';
import { Idempotency } from './idempotency/idempotency.js';
import { InputRefused, normaliseInput, type InputShape } from './input-rules.js';
import { UnitTransaction, type CommandFailure, type UnitCommandBody } from './unit-transaction.js';

export type { CommandFailure } from './unit-transaction.js';

/** What a unit command can answer besides success: only stage events are ever blocked by gates. */
export type FailureOf<T extends CampaignEventType> = T extends StageEventType ? StageEventFailure : EventCommandFailure;

/** One command on one unit's history: accepted → one event; refused → an attempt, nothing else. */
export interface UnitCommand<
  S extends { __typename: string },
  T extends CampaignEventType = CampaignEventType,
> extends UnitCommandBody<S> {
  /** The policy table's name of what is done (the roles allowed). */
  operation: CommandName;
  unitId: string;
  type: T;
  /** The client's input, meta fields (idempotencyKey, expectedVersion) included. */
  input: object;
  /** A rule for every field the event's payload keeps (normalised and limited before anything is stored). */
  shape: InputShape;
  /** Other units the input names: each must be in the principal's scope (and exist). */
  named?: readonly (string | null | undefined)[];
  override?: boolean;
  /** A failure the feature found before the pipeline (an unknown event name): refused and logged as an attempt. */
  invalid?: CommandFailure | null;
}

/** A command that creates a unit under `parentId` (null: a root, which only a whole-tree principal may create). */
export interface CreationCommand<S> {
  operation: CommandName;
  parentId: string | null;
  input: object;
  shape: InputShape;
  /** The transaction's work, given the normalised input and the parent; its answer is remembered under the key. */
  body: (tx: Tx, input: Record<string, unknown>, parent: UnitRow | null) => Promise<S | InvalidInput | NotFound>;
  /** The answer to a retry with the same key: rebuilt from what the first answer stored. */
  replay: (stored: Record<string, unknown>, tx: Tx) => Promise<S>;
  /** What the idempotency log keeps of a success (ids, not whole objects). */
  remember: (success: S) => Record<string, unknown>;
}

/**
 * The one path every write takes, in this order: permission (the operation's roles, from the policy table), scope
 * (the unit acted on and every unit the input names), input limits and normalisation, then one transaction that
 * locks the unit's snapshot, checks separation of duties, the idempotency key (keys belong to sub, role and scope)
 * and runs the command. Refusals after the unit is found are
 * kept in the attempts log, bounded; permission failures are GraphQL errors and leave no trace in the unit.
 */
@Injectable()
export class CommandBus {
  constructor(
    @Inject(Access) private readonly access: Access,
    @Inject(Idempotency) private readonly idempotency: Idempotency,
    @Inject(UnitTransaction) private readonly unitTransaction: UnitTransaction,
    @Inject(Db) private readonly db: Db,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(HistoryService) private readonly history: HistoryService,
  ) {}

  async submit<S extends { __typename: string }, T extends CampaignEventType>(
    principal: Principal,
    command: UnitCommand<S, T>,
  ): Promise<S | FailureOf<T>> {
    const unit = await this.access.require(principal, command.operation, command.unitId);
    if (!unit) return notFound('Unit', command.unitId);
    let invalid = command.invalid ?? null;
    for (const named of command.named ?? []) {
      if (named != null && !(await this.access.requireNamed(principal, named))) invalid ??= notFound('Unit', named);
    }

    const { meta, payload: raw } = readMeta(command.input as Record<string, unknown>);
    let payload: Record<string, unknown>;
    try {
      payload = normaliseInput(raw, command.shape);
    } catch (error) {
      if (!(error instanceof InputRefused)) throw error;
      invalid ??= invalidInput(error.message, error.field);
      payload = raw; // refused: the attempts log keeps a bounded summary of it, made once
    }
    invalid ??= meta.invalid;
    const key = this.idempotency.keyOf(principal, meta.idempotencyKey);
    const requestHash = this.idempotency.requestHash(key, {
      operation: command.operation,
      unitId: unit.id,
      type: command.type,
      payload,
      expectedVersion: meta.expectedVersion,
      reason: meta.reason,
      override: !!command.override,
    });
    const ready = { ...command, unitId: unit.id, unit, payload, invalid, meta, key, requestHash };
    const run = (tx: Tx) => this.unitTransaction.run(tx, principal, ready, this.clock.now().getTime());
    // the race was lost after the snapshot was read: the transaction rolled back, the refusal is still an attempt
    const lostRace = async (conflict: VersionConflict) => {
      await this.db.transaction((tx) =>
        this.unitTransaction.refuse(tx, principal, ready, conflict, this.clock.now().getTime()),
      );
    };
    return (await this.idempotency.retryingFirstUse(() => this.db.transaction(run), meta.expectedVersion, lostRace)) as
      S | FailureOf<T>;
  }

  /**
   * A whole-tree command: permission (role, and no scope), the command's reads, then one transaction in which the
   * work either writes and succeeds or writes nothing and is refused — a refusal is kept in the attempts log, with
   * no unit, like any refused command.
   */
  async wholeTree<S extends { __typename: string }, F extends TreeFailure>(
    principal: Principal,
    command: WholeTreeCommand<S, F>,
  ): Promise<S | F> {
    this.access.requireWholeTree(principal, command.operation);
    const work = await command.prepare();
    return this.db.transaction(async (tx) => {
      const now = this.clock.now().getTime();
      const result = await work(tx, now);
      if ('errorCode' in result) {
        const failure = result as F;
        await this.history.recordAttempt(tx, {
          unitId: WHOLE_TREE_ATTEMPT,
          command: command.operation,
          payload: summariseInput(command.input),
          actor: principal.sub,
          role: principal.role,
          at: now,
          failure: failure.errorCode,
          detail: { ...refusalDetail(failure), ...command.detail?.(failure) },
        });
      }
      return result;
    });
  }

  async create<S extends { __typename: string }>(
    principal: Principal,
    command: CreationCommand<S>,
  ): Promise<S | InvalidInput | NotFound | IdempotencyKeyReused> {
    let parent: UnitRow | null = null;
    if (command.parentId == null) this.access.requireWholeTree(principal, command.operation);
    else {
      parent = await this.access.require(principal, command.operation, command.parentId);
      if (!parent) return notFound('Unit', command.parentId);
    }
    const { meta, payload: raw } = readMeta(command.input as Record<string, unknown>);
    let input: Record<string, unknown>;
    try {
      input = normaliseInput(raw, command.shape);
    } catch (error) {
      if (!(error instanceof InputRefused)) throw error;
      return invalidInput(error.message, error.field);
    }
    if (meta.invalid) return meta.invalid;
    const key = this.idempotency.keyOf(principal, meta.idempotencyKey);
    const requestHash = this.idempotency.requestHash(key, { operation: command.operation, input });
    const run = async (tx: Tx) => {
      const prior = await this.idempotency.prior(tx, key, requestHash);
      if (prior.reused) return prior.reused;
      if (prior.response) return command.replay(prior.response, tx);
      const result = await command.body(tx, input, parent);
      if (key && result.__typename !== 'InvalidInput' && result.__typename !== 'NotFound') {
        await this.idempotency.remember(
          tx,
          key,
          requestHash,
          String((command.remember(result as S).unitId as string) ?? ''),
          command.remember(result as S),
          this.clock.now().getTime(),
        );
      }
      return result;
    };
    // no snapshot is compared-and-set here: a lost race cannot happen, only a key's first-use race (retried)
    return (await this.idempotency.retryingFirstUse(() => this.db.transaction(run), null)) as
      S | InvalidInput | NotFound | IdempotencyKeyReused;
  }
}

/** A command on the whole tree rather than on one unit (publishing a rulebook): an admin without a scope only. */
export interface WholeTreeCommand<S extends { __typename: string }, F extends TreeFailure> {
  operation: CommandName;
  /** the client's input: a refusal keeps a bounded summary of it in the attempts log */
  input: Record<string, unknown>;
  /** reads the command needs before its transaction (after the permission check) */
  prepare: () => Promise<(tx: Tx, now: number) => Promise<S | F>>;
  /** what the attempts log keeps of a refusal besides its code and message */
  detail?: (failure: F) => Record<string, unknown>;
}

/** An expected failure of a whole-tree command. */
export interface TreeFailure {
  __typename: string;
  errorCode: string;
  message: string;
}

/** The attempts log's unit for a refused command on the whole tree: none (kept with an empty unit id). */
export const WHOLE_TREE_ATTEMPT = '';

export type { CommandMeta, UnitState };
