import { Inject, Injectable } from '@nestjs/common';
import type { StoredSnapshot } from '../../machines/index.js';
import { Db, SqlParam, Tx } from '../database/db.js';
import type { HashedEventFields } from './hash-chain.js';

export interface UnitState {
  unitId: string;
  snapshot: StoredSnapshot;
  version: number;
  rulebookVersion: number;
  headHash: string;
  updatedAt: number;
}

/** A stored event: the fields its hash covers, and the hash. */
export interface EventRow extends HashedEventFields {
  hash: string;
}

export interface AttemptRow {
  id: number;
  unitId: string;
  command: string;
  payload: Record<string, unknown>;
  actor: string;
  role: string;
  at: number;
  failure: string;
  detail: Record<string, unknown>;
}

/** A stored snapshot of the unit after event `seq` (seq 0: its first, with the rulebook it started on). */
export interface SnapshotRow {
  unitId: string;
  seq: number;
  at: number;
  snapshot: StoredSnapshot;
  rulebookVersion: number;
}

type Raw = Record<string, unknown>;

/** A snapshot row's columns after unit_id, in STATE_COLUMNS order (the INSERT's and the compare-and-set's). */
const stateValues = (state: UnitState) => [
  JSON.stringify(state.snapshot.value),
  JSON.stringify(state.snapshot.context),
  state.version,
  state.rulebookVersion,
  state.headHash,
  state.updatedAt,
];

const toSnapshot = (raw: Raw): SnapshotRow => ({
  unitId: raw.unit_id as string,
  seq: Number(raw.seq),
  at: Number(raw.at),
  snapshot: { value: JSON.parse(raw.state_value as string), context: JSON.parse(raw.context as string) },
  rulebookVersion: Number(raw.rulebook_version),
});

const STATE_COLUMNS = 'unit_id, state_value, context, version, rulebook_version, head_hash, updated_at';
const EVENT_COLUMNS =
  'unit_id, seq, type, payload, actor, role, reason, at, occurred_at, recorded_at, rulebook_version, override, idempotency_key, prev_hash, hash';

function toState(raw: Raw): UnitState {
  return {
    unitId: raw.unit_id as string,
    snapshot: { value: JSON.parse(raw.state_value as string), context: JSON.parse(raw.context as string) },
    version: Number(raw.version),
    rulebookVersion: Number(raw.rulebook_version),
    headHash: raw.head_hash as string,
    updatedAt: Number(raw.updated_at),
  };
}

export function toEvent(raw: Raw): EventRow {
  return {
    unitId: raw.unit_id as string,
    seq: Number(raw.seq),
    type: raw.type as string,
    payload: JSON.parse(raw.payload as string),
    actor: raw.actor as string,
    role: raw.role as string,
    reason: (raw.reason as string | null) ?? null,
    at: Number(raw.at),
    occurredAt: raw.occurred_at === null || raw.occurred_at === undefined ? null : Number(raw.occurred_at),
    recordedAt: Number(raw.recorded_at),
    rulebookVersion: Number(raw.rulebook_version),
    override: Number(raw.override) === 1,
    idempotencyKey: (raw.idempotency_key as string | null) ?? null,
    prevHash: raw.prev_hash as string,
    hash: raw.hash as string,
  };
}

function toAttempt(raw: Raw): AttemptRow {
  return {
    id: Number(raw.id),
    unitId: raw.unit_id as string,
    command: raw.command as string,
    payload: JSON.parse(raw.payload as string),
    actor: raw.actor as string,
    role: raw.role as string,
    at: Number(raw.at),
    failure: raw.failure as string,
    detail: JSON.parse(raw.detail as string),
  };
}

/** The only code that touches the event store tables (snapshots, events, attempts). */
@Injectable()
export class EventStoreRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insertState(tx: Tx, state: UnitState): Promise<void> {
    await tx.run(`INSERT INTO unit_states (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      state.unitId,
      ...stateValues(state),
    ]);
  }

  /** Inside a write transaction: on PostgreSQL the row stays locked until commit, so commands on one unit queue. */
  async loadStateForUpdate(tx: Tx, unitId: string): Promise<UnitState | null> {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const [raw] = await tx.query<Raw>(`SELECT ${STATE_COLUMNS} FROM unit_states WHERE unit_id = ?${lock}`, [unitId]);
    return raw ? toState(raw) : null;
  }

  /** Several units' snapshots, locked until the transaction ends (one statement: a batch of commands, e.g. a migration). */
  async loadStatesForUpdate(tx: Tx, unitIds: readonly string[]): Promise<Map<string, UnitState>> {
    if (unitIds.length === 0) return new Map();
    const lock = tx.dialect === 'postgres' ? ' ORDER BY unit_id FOR UPDATE' : '';
    const rows = await tx.query<Raw>(
      `SELECT ${STATE_COLUMNS} FROM unit_states WHERE unit_id IN (${unitIds.map(() => '?').join(', ')})${lock}`,
      [...unitIds],
    );
    return new Map(rows.map((raw) => [raw.unit_id as string, toState(raw)]));
  }

  async statesByIds(unitIds: readonly string[]): Promise<Map<string, UnitState>> {
    if (unitIds.length === 0) return new Map();
    const rows = await this.db.query<Raw>(
      `SELECT ${STATE_COLUMNS} FROM unit_states WHERE unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      [...unitIds],
    );
    return new Map(rows.map((raw) => [raw.unit_id as string, toState(raw)]));
  }

  /** Compare-and-set: changes the snapshot only if nobody else moved the version; returns the rows changed (0 or 1). */
  async compareAndSetState(tx: Tx, state: UnitState, expectedVersion: number): Promise<number> {
    return tx.run(
      'UPDATE unit_states SET state_value = ?, context = ?, version = ?, rulebook_version = ?, head_hash = ?, updated_at = ? WHERE unit_id = ? AND version = ?',
      [...stateValues(state), state.unitId, expectedVersion],
    );
  }

  async versionOf(tx: Tx, unitId: string): Promise<number | null> {
    const [raw] = await tx.query<Raw>('SELECT version FROM unit_states WHERE unit_id = ?', [unitId]);
    return raw ? Number(raw.version) : null;
  }

  /** The event as a row; its payload stored as `payloadJson` when given (the text its hash was computed over). */
  async appendEvent(tx: Tx, event: EventRow, payloadJson = JSON.stringify(event.payload)): Promise<void> {
    await tx.run(`INSERT INTO unit_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      event.unitId,
      event.seq,
      event.type,
      payloadJson,
      event.actor,
      event.role,
      event.reason,
      event.at,
      event.occurredAt,
      event.recordedAt,
      event.rulebookVersion,
      event.override ? 1 : 0,
      event.idempotencyKey,
      event.prevHash,
      event.hash,
    ]);
  }

  async recordAttempt(tx: Tx, attempt: Omit<AttemptRow, 'id'>): Promise<void> {
    await tx.run(
      'INSERT INTO command_attempts (unit_id, command, payload, actor, role, at, failure, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        attempt.unitId,
        attempt.command,
        JSON.stringify(attempt.payload),
        attempt.actor,
        attempt.role,
        attempt.at,
        attempt.failure,
        JSON.stringify(attempt.detail),
      ],
    );
  }

  /** Events in seq order after `afterSeq`, `limit` of them (all when limit is null). */
  async events(
    unitId: string,
    afterSeq: number,
    limit: number | null,
    untilAt: number | null = null,
  ): Promise<EventRow[]> {
    const params: SqlParam[] = [unitId, afterSeq];
    let sql = `SELECT ${EVENT_COLUMNS} FROM unit_events WHERE unit_id = ? AND seq > ?`;
    if (untilAt !== null) {
      sql += ' AND at <= ?';
      params.push(untilAt);
    }
    sql += ' ORDER BY seq';
    if (limit !== null) {
      sql += ' LIMIT ?';
      params.push(limit);
    }
    return (await this.db.query<Raw>(sql, params)).map(toEvent);
  }

  async insertSnapshot(tx: Tx, row: SnapshotRow): Promise<void> {
    await tx.run(
      'INSERT INTO unit_snapshots (unit_id, seq, at, state_value, context, rulebook_version) VALUES (?, ?, ?, ?, ?, ?)',
      [
        row.unitId,
        row.seq,
        row.at,
        JSON.stringify(row.snapshot.value),
        JSON.stringify(row.snapshot.context),
        row.rulebookVersion,
      ],
    );
  }

  /** The newest stored snapshot at or before `seq` (seq 0 is always there for a unit). */
  async snapshotAtOrBefore(unitId: string, seq: number): Promise<SnapshotRow | null> {
    const [raw] = await this.db.query<Raw>(
      'SELECT * FROM unit_snapshots WHERE unit_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
      [unitId, seq],
    );
    return raw ? toSnapshot(raw) : null;
  }

  async snapshotsOf(unitIds: readonly string[]): Promise<Map<string, SnapshotRow[]>> {
    const result = new Map<string, SnapshotRow[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return result;
    const rows = await this.db.query<Raw>(
      `SELECT * FROM unit_snapshots WHERE unit_id IN (${unitIds.map(() => '?').join(', ')}) ORDER BY unit_id, seq`,
      [...unitIds],
    );
    for (const raw of rows) result.get(raw.unit_id as string)?.push(toSnapshot(raw));
    return result;
  }

  /** The seq of the unit's last event at or before `atMs` (0: none yet). */
  async lastSeqAtOrBefore(unitId: string, atMs: number): Promise<number> {
    const [raw] = await this.db.query<Raw>('SELECT MAX(seq) AS seq FROM unit_events WHERE unit_id = ? AND at <= ?', [
      unitId,
      atMs,
    ]);
    return raw?.seq === null || raw?.seq === undefined ? 0 : Number(raw.seq);
  }

  /** Events in seq order with afterSeq < seq ≤ throughSeq. */
  async eventsBetween(unitId: string, afterSeq: number, throughSeq: number): Promise<EventRow[]> {
    return (
      await this.db.query<Raw>(
        `SELECT ${EVENT_COLUMNS} FROM unit_events WHERE unit_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
        [unitId, afterSeq, throughSeq],
      )
    ).map(toEvent);
  }

  /** The actor of the unit's newest event of a type (e.g. who requested the look-back under judgement). */
  async lastActorOf(tx: Tx, unitId: string, type: string): Promise<string | null> {
    const [raw] = await tx.query<Raw>(
      'SELECT actor FROM unit_events WHERE unit_id = ? AND type = ? ORDER BY seq DESC LIMIT 1',
      [unitId, type],
    );
    return raw ? (raw.actor as string) : null;
  }

  async attempts(unitId: string, afterId: number, limit: number): Promise<AttemptRow[]> {
    const rows = await this.db.query<Raw>(
      'SELECT id, unit_id, command, payload, actor, role, at, failure, detail FROM command_attempts WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?',
      [unitId, afterId, limit],
    );
    return rows.map(toAttempt);
  }
}
