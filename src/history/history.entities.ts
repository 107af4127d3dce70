import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/*
 * The tables of the history: snapshots, events, refused attempts. Declared as entities so that `migration:generate` and the schema-parity test can
 * compare them with the migrations; the hot path reads and writes them with prepared SQL (src/database/db.ts).
 * Times are epoch milliseconds; JSON is stored as text on both databases.
 */

/** The snapshot of a unit's statechart: a cache of the fold of its events, compare-and-set on `version`. */
@Entity('unit_states')
export class UnitStateEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ name: 'state_value', type: 'text' })
  stateValue: string;
  @Column({ type: 'text' })
  context: string;
  @Column({ type: 'integer' })
  version: number;
  @Column({ name: 'rulebook_version', type: 'integer' })
  rulebookVersion: number;
  /** Hash of the newest event (the genesis hash before any): the next event chains to it. */
  @Column({ name: 'head_hash', type: 'varchar', length: 64 })
  headHash: string;
  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: number;
}

/** The append-only history: one row per accepted command; triggers refuse UPDATE and DELETE. */
@Entity('unit_events')
@Index('ix_unit_events_at', ['at'])
@Index('ix_unit_events_unit_at', ['unitId', 'at'])
export class UnitEventEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @PrimaryColumn({ type: 'integer' })
  seq: number;
  @Column({ type: 'varchar', length: 40 })
  type: string;
  @Column({ type: 'text' })
  payload: string;
  @Column({ type: 'varchar', length: 200 })
  actor: string;
  @Column({ type: 'varchar', length: 20 })
  role: string;
  @Column({ type: 'text', nullable: true })
  reason: string | null;
  /** The server's clock when the command was accepted: the time the gates saw. */
  @Column({ type: 'bigint' })
  at: number;
  /** When the evidence happened (its `occurredAt`), for evidence events. */
  @Column({ name: 'occurred_at', type: 'bigint', nullable: true })
  occurredAt: number | null;
  /** Wall-clock time of recording; differs from `at` only in time-travel mode. */
  @Column({ name: 'recorded_at', type: 'bigint' })
  recordedAt: number;
  @Column({ name: 'rulebook_version', type: 'integer' })
  rulebookVersion: number;
  @Column({ type: 'smallint' })
  override: number;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;
  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;
  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** Refused commands: not history, but what supervisors read to spot a unit that keeps rushing. */
@Entity('command_attempts')
@Index('ix_command_attempts_unit', ['unitId', 'id'])
export class CommandAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id: number;
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ type: 'varchar', length: 40 })
  command: string;
  @Column({ type: 'text' })
  payload: string;
  @Column({ type: 'varchar', length: 200 })
  actor: string;
  @Column({ type: 'varchar', length: 20 })
  role: string;
  @Column({ type: 'bigint' })
  at: number;
  @Column({ type: 'varchar', length: 40 })
  failure: string;
  @Column({ type: 'text' })
  detail: string;
}

/** A stored snapshot every few events (and at seq 0): where `unitAsOf` and a replay page start folding. */
@Entity('unit_snapshots')
export class UnitSnapshotEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @PrimaryColumn({ type: 'integer' })
  seq: number;
  /** the `at` of event `seq` (the unit's creation for seq 0) */
  @Column({ type: 'bigint' })
  at: number;
  @Column({ name: 'state_value', type: 'text' })
  stateValue: string;
  @Column({ type: 'text' })
  context: string;
  @Column({ name: 'rulebook_version', type: 'integer' })
  rulebookVersion: number;
}

export const HISTORY_ENTITIES = [UnitStateEntity, UnitEventEntity, CommandAttemptEntity, UnitSnapshotEntity];
