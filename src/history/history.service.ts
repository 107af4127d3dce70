import { Inject, Injectable } from '@nestjs/common';
import { initialSnapshot, statusOf, type StoredSnapshot, type UnitKind } from '../../machines/index.js';
import type { Tx } from '../database/db.js';
import { RulebookStore } from '../rulebooks/rulebook-store.js';
import {
  EventStoreRepository,
  type AttemptRow,
  type EventRow,
  type SnapshotRow,
  type UnitState,
} from './event-store.repository.js';
import { genesisHash, hashedEvent } from './hash-chain.js';

/** A stored snapshot every this many events: reading a unit as of a moment folds at most this many. */
export const SNAPSHOT_EVERY = 64;

/** Thrown inside the transaction to roll it back when the compare-and-set finds the version moved. */
export class LostRace extends Error {
  constructor(readonly currentVersion: number) {
    super('lost the compare-and-set race');
  }
}

/** What a command adds to the history; the history adds seq, the chain and the snapshot. */
export interface NewEvent {
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  role: string;
  reason: string | null;
  at: number;
  override: boolean;
  idempotencyKey: string | null;
}

/** What appending `event` to a unit in `state` writes: the chained event, the moved state, a stored snapshot or none. */
export interface Link {
  event: EventRow;
  /** the event's payload as stored: its canonical JSON, the text its hash covers */
  payloadJson: string;
  state: UnitState;
  snapshot: SnapshotRow | null;
}

/**
 * The next link of a unit's chain (pure): seq, times, the rulebook in force and the hash; the state moved to `next`;
 * and a stored snapshot every SNAPSHOT_EVERY events or when the rulebook changes (a migration: the events after it
 * carry the new version).
 */
export function nextLink(state: UnitState, event: NewEvent, next: StoredSnapshot): Link {
  const seq = state.version + 1;
  const fields = {
    unitId: state.unitId,
    seq,
    ...event,
    occurredAt: typeof event.payload.occurredAt === 'string' ? Date.parse(event.payload.occurredAt) : null,
    recordedAt: Date.now(),
    rulebookVersion: state.rulebookVersion,
    prevHash: state.headHash,
  };
  const { hash, payloadJson } = hashedEvent(fields);
  const row: EventRow = { ...fields, hash };
  const rulebookVersion = next.context.rulebookVersion;
  const moved: UnitState = {
    ...state,
    snapshot: next,
    version: seq,
    rulebookVersion,
    headHash: row.hash,
    updatedAt: event.at,
  };
  const snapshot =
    seq % SNAPSHOT_EVERY === 0 || rulebookVersion !== state.rulebookVersion
      ? { unitId: state.unitId, seq, at: event.at, snapshot: next, rulebookVersion }
      : null;
  return { event: row, payloadJson, state: moved, snapshot };
}

/**
 * The append-only history of each unit: a unit's first snapshot, each accepted event chained to the previous one
 * with the snapshot moved in the same transaction by compare-and-set, and the attempts log of refusals.
 */
@Injectable()
export class HistoryService {
  constructor(
    @Inject(EventStoreRepository) private readonly store: EventStoreRepository,
    @Inject(RulebookStore) private readonly rulebooks: RulebookStore,
  ) {}

  /**
   * A new unit starts `registered` at version 0 under the current rulebook (the newest stored, read in the
   * transaction of its insert) unless one is given: its snapshot, its first stored snapshot (seq 0, which keeps the
   * rulebook it started on) and a chain head bound to its profile.
   */
  async start(
    tx: Tx,
    unit: { id: string; kind: string; leaderCount: number; createdAt: number },
    version?: number,
  ): Promise<UnitState> {
    const rulebookVersion = version ?? (await this.rulebooks.currentVersion(tx));
    const snapshot = initialSnapshot(
      { kind: unit.kind as UnitKind, leaderCount: unit.leaderCount },
      await this.rulebooks.rulebook(rulebookVersion, tx),
    );
    const state: UnitState = {
      unitId: unit.id,
      snapshot,
      version: 0,
      rulebookVersion,
      headHash: genesisHash({ unitId: unit.id, kind: unit.kind, leaderCount: unit.leaderCount, rulebookVersion }),
      updatedAt: unit.createdAt,
    };
    await this.store.insertState(tx, state);
    await this.store.insertSnapshot(tx, { unitId: unit.id, seq: 0, at: unit.createdAt, snapshot, rulebookVersion });
    return state;
  }

  /** The unit's snapshot, locked until the transaction ends (PostgreSQL row lock; SQLite's writer is serialized). */
  lock(tx: Tx, unitId: string): Promise<UnitState | null> {
    return this.store.loadStateForUpdate(tx, unitId);
  }

  /**
   * Appends the next event and moves the snapshot to `next` only if nobody else moved it since `state` was read
   * (`WHERE version = ?`, the changed rows checked): a lost race throws LostRace and the transaction rolls back.
   */
  async append(
    tx: Tx,
    state: UnitState,
    event: NewEvent,
    next: StoredSnapshot,
  ): Promise<{ event: EventRow; state: UnitState }> {
    const link = nextLink(state, event, next);
    if ((await this.store.compareAndSetState(tx, link.state, state.version)) !== 1) {
      throw new LostRace((await this.store.versionOf(tx, state.unitId)) ?? state.version);
    }
    await this.store.appendEvent(tx, link.event, link.payloadJson);
    if (link.snapshot) await this.store.insertSnapshot(tx, link.snapshot);
    return { event: link.event, state: link.state };
  }

  recordAttempt(tx: Tx, attempt: Omit<AttemptRow, 'id'>): Promise<void> {
    return this.store.recordAttempt(tx, attempt);
  }

  /** Who sent the unit's newest event of a type (e.g. who requested the look-back under judgement). */
  lastActorOf(tx: Tx, unitId: string, type: string): Promise<string | null> {
    return this.store.lastActorOf(tx, unitId, type);
  }

  phaseOf(state: UnitState): string {
    return statusOf(state.snapshot).phase;
  }
}
