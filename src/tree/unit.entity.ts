import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MAX_TREE_DEPTH } from './unit-tree.js';

/**
 * A unit of the campaign tree. Ancestor ids are stored at fixed depths (l0 = province … l5), so that a subtree is
 * one indexed equality (`l{depth}_id = :root`) however large the tree: measured far faster at national scale than a
 * text path range, a recursive CTE, or a closure table.
 * Times are epoch milliseconds (bigint) so that the same SQL runs on SQLite and PostgreSQL.
 */
@Entity('units')
@Index('ix_units_parent', ['parentId', 'id'])
@Index('ix_units_l0_kind', ['l0Id', 'kind', 'phase', 'id'])
@Index('ix_units_l1_kind', ['l1Id', 'kind', 'phase', 'id'])
@Index('ix_units_l2_kind', ['l2Id', 'kind', 'phase', 'id'])
@Index('ix_units_l3_kind', ['l3Id', 'kind', 'phase', 'id'])
@Index('ix_units_l4_kind', ['l4Id', 'kind', 'phase', 'id'])
@Index('ix_units_l5_kind', ['l5Id', 'kind', 'phase', 'id'])
@Index('ix_units_kind_phase', ['kind', 'phase', 'id'])
@Index('ix_units_phase', ['phase', 'id'])
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  /** Declared for the foreign key only; the service reads parents through the repository. */
  @ManyToOne(() => UnitEntity, {
    nullable: true,
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
    createForeignKeyConstraints: true,
  })
  @JoinColumn({ name: 'parent_id' })
  parent?: UnitEntity | null;

  @Column({ type: 'smallint' })
  depth: number;

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
  @Column({ name: 'l5_id', type: 'varchar', length: 36, nullable: true })
  l5Id: string | null;

  @Column({ name: 'leader_count', type: 'integer' })
  leaderCount: number;

  /** Top-level state, kept equal to the stored snapshot's in the same transaction (dashboard filter). */
  @Column({ type: 'varchar', length: 32, default: 'registered' })
  phase: string;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: number;
}

export const ANCESTOR_COLUMNS = Array.from({ length: MAX_TREE_DEPTH }, (_, d) => `l${d}_id`);
