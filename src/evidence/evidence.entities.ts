import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Read model: opinions by target unit, and whether the target has claimed them. */
@Entity('opinions')
@Index('ix_opinions_target', ['targetUnitId', 'id'])
export class OpinionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;
  @Column({ name: 'target_unit_id', type: 'varchar', length: 36 })
  targetUnitId: string;
  @Column({ name: 'collected_by_unit_id', type: 'varchar', length: 36 })
  collectedByUnitId: string;
  @Column({ type: 'varchar', length: 32 })
  channel: string;
  @Column({ type: 'varchar', length: 32 })
  category: string;
  @Column({ type: 'text' })
  text: string;
  @Column({ name: 'occurred_at', type: 'bigint' })
  occurredAt: number;
  @Column({ name: 'recorded_at', type: 'bigint' })
  recordedAt: number;
  @Column({ name: 'claimed_at', type: 'bigint', nullable: true })
  claimedAt: number | null;
}

/** Read model: problems a unit identified, and their rectification. */
@Entity('problems')
@Index('ix_problems_unit', ['unitId', 'id'])
export class ProblemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ type: 'varchar', length: 100 })
  category: string;
  @Column({ type: 'text' })
  description: string;
  @Column({ name: 'fix_at_once', type: 'smallint' })
  fixAtOnce: number;
  @Column({ name: 'due_at', type: 'bigint', nullable: true })
  dueAt: number | null;
  @Column({ name: 'source_opinion_id', type: 'varchar', length: 36, nullable: true })
  sourceOpinionId: string | null;
  @Column({ name: 'identified_at', type: 'bigint' })
  identifiedAt: number;
  @Column({ name: 'rectified_at', type: 'bigint', nullable: true })
  rectifiedAt: number | null;
  @Column({ type: 'text', nullable: true })
  action: string | null;
}

export const EVIDENCE_ENTITIES = [OpinionEntity, ProblemEntity];
