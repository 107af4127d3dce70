import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { COUNTERS } from './counters.js';

/*
 * The oversight tables: per-subtree counters (exact in the command's transaction), refused stage events per day,
 * and each unit's idleness and refusals for laggards and rushing. Declared as entities so that the schema-parity
 * test can compare them with the migration; the hot path reads and writes them with prepared SQL.
 */

/** Adds one integer column per counter to an entity class (the column list lives in one place: COUNTERS). */
function counterColumns(target: object): void {
  for (const name of COUNTERS) Column({ name, type: 'integer', default: 0 })(target, name);
}

/** The rollup of a unit's subtree (itself and every descendant). On PostgreSQL: the folded part (see RollupDelta). */
@Entity('rollups')
export class RollupEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
}
counterColumns(RollupEntity.prototype);

/**
 * PostgreSQL only: a change to one subtree's counters, appended in the command's transaction and folded into
 * `rollups` in the background. A read is the folded row plus the deltas not yet folded.
 */
@Entity('rollup_deltas')
@Index('ix_rollup_deltas_unit', ['unitId'])
export class RollupDeltaEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id: number;
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  /** set for a refused stage event: the campaign day it counts for */
  @Column({ type: 'integer', nullable: true })
  day: number | null;
}
counterColumns(RollupDeltaEntity.prototype);

/** Refused stage events in a subtree per campaign day (days since 1970-01-01 in the rulebook's zone). */
@Entity('rollup_refusals')
export class RollupRefusalEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @PrimaryColumn({ type: 'integer' })
  day: number;
  @Column({ type: 'integer' })
  refused: number;
}

/** Levels whose units have descendants: a unit on the last level (5) is its own subtree. */
export const SUBTREE_LEVELS = [0, 1, 2, 3, 4] as const;

/** One unit's own refused stage events per day, under its ancestors (rushing: most refusals in a window). */
@Entity('unit_refusals')
@Index('ix_unit_refusals_l0', ['l0Id', 'day'])
@Index('ix_unit_refusals_l1', ['l1Id', 'day'])
@Index('ix_unit_refusals_l2', ['l2Id', 'day'])
@Index('ix_unit_refusals_l3', ['l3Id', 'day'])
@Index('ix_unit_refusals_l4', ['l4Id', 'day'])
export class UnitRefusalEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @PrimaryColumn({ type: 'integer' })
  day: number;
  @Column({ type: 'integer' })
  refused: number;
  @Column({ name: 'l0_id', type: 'varchar', length: 36 })
  l0Id: string;
  @Column({ name: 'l1_id', type: 'varchar', length: 36, nullable: true })
  l1Id: string | null;
  @Column({ name: 'l2_id', type: 'varchar', length: 36, nullable: true })
  l2Id: string | null;
  @Column({ name: 'l3_id', type: 'varchar', length: 36, nullable: true })
  l3Id: string | null;
  @Column({ name: 'l4_id', type: 'varchar', length: 36, nullable: true })
  l4Id: string | null;
}

/**
 * Each unit's idleness (laggards): since when it has been idle — its last accepted event or creation, or, while it
 * is registered, its parent's launch if earlier — and whether it is done (stage1Complete, never a laggard). A level's
 * index holds one range per kind (see laggardsQuery).
 */
@Entity('unit_activity')
@Index('ix_unit_activity_l0_kind', ['l0Id', 'done', 'kind', 'idleSince', 'unitId'])
@Index('ix_unit_activity_l1_kind', ['l1Id', 'done', 'kind', 'idleSince', 'unitId'])
@Index('ix_unit_activity_l2_kind', ['l2Id', 'done', 'kind', 'idleSince', 'unitId'])
@Index('ix_unit_activity_l3_kind', ['l3Id', 'done', 'kind', 'idleSince', 'unitId'])
@Index('ix_unit_activity_l4_kind', ['l4Id', 'done', 'kind', 'idleSince', 'unitId'])
@Index('ix_unit_activity_parent', ['parentId'])
export class UnitActivityEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;
  @Column({ name: 'l0_id', type: 'varchar', length: 36 })
  l0Id: string;
  @Column({ name: 'l1_id', type: 'varchar', length: 36, nullable: true })
  l1Id: string | null;
  @Column({ name: 'l2_id', type: 'varchar', length: 36, nullable: true })
  l2Id: string | null;
  @Column({ name: 'l3_id', type: 'varchar', length: 36, nullable: true })
  l3Id: string | null;
  @Column({ name: 'l4_id', type: 'varchar', length: 36, nullable: true })
  l4Id: string | null;
  @Column({ type: 'varchar', length: 32 })
  kind: string;
  @Column({ type: 'smallint' })
  registered: number;
  @Column({ type: 'smallint' })
  done: number;
  @Column({ name: 'launched_at', type: 'bigint', nullable: true })
  launchedAt: number | null;
  @Column({ name: 'parent_launched_at', type: 'bigint', nullable: true })
  parentLaunchedAt: number | null;
  @Column({ name: 'last_event_at', type: 'bigint' })
  lastEventAt: number;
  @Column({ name: 'idle_since', type: 'bigint' })
  idleSince: number;
}

/**
 * SQLite: a unit's idleness after its last events, not yet folded into `unit_activity` (see ActivityRepository). One
 * row per unit, the same columns, no index but the key: a command writes here instead of moving five index entries.
 */
@Entity('unit_activity_pending')
export class UnitActivityPendingEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;
  @Column({ name: 'l0_id', type: 'varchar', length: 36 })
  l0Id: string;
  @Column({ name: 'l1_id', type: 'varchar', length: 36, nullable: true })
  l1Id: string | null;
  @Column({ name: 'l2_id', type: 'varchar', length: 36, nullable: true })
  l2Id: string | null;
  @Column({ name: 'l3_id', type: 'varchar', length: 36, nullable: true })
  l3Id: string | null;
  @Column({ name: 'l4_id', type: 'varchar', length: 36, nullable: true })
  l4Id: string | null;
  @Column({ type: 'varchar', length: 32 })
  kind: string;
  @Column({ type: 'smallint' })
  registered: number;
  @Column({ type: 'smallint' })
  done: number;
  @Column({ name: 'launched_at', type: 'bigint', nullable: true })
  launchedAt: number | null;
  @Column({ name: 'parent_launched_at', type: 'bigint', nullable: true })
  parentLaunchedAt: number | null;
  @Column({ name: 'last_event_at', type: 'bigint' })
  lastEventAt: number;
  @Column({ name: 'idle_since', type: 'bigint' })
  idleSince: number;
}

export const OVERSIGHT_ENTITIES = [
  RollupEntity,
  RollupDeltaEntity,
  RollupRefusalEntity,
  UnitRefusalEntity,
  UnitActivityEntity,
  UnitActivityPendingEntity,
];
