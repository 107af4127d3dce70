import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A signed digest over every unit's chain head, chained to the previous checkpoint. */
@Entity('audit_checkpoints')
export class AuditCheckpointEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id: number;
  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: number;
  @Column({ name: 'unit_count', type: 'integer' })
  unitCount: number;
  @Column({ type: 'varchar', length: 64 })
  digest: string;
  @Column({ name: 'prev_signature', type: 'varchar', length: 64 })
  prevSignature: string;
  @Column({ type: 'varchar', length: 64 })
  signature: string;
}

/** Each unit's chain head (newest seq and hash) as a checkpoint saw it. */
@Entity('audit_checkpoint_heads')
export class AuditCheckpointHeadEntity {
  @PrimaryColumn({ name: 'checkpoint_id', type: 'integer' })
  checkpointId: number;
  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ type: 'integer' })
  seq: number;
  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
