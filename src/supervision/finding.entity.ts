import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Read model: supervision findings and their resolution. */
@Entity('findings')
@Index('ix_findings_unit', ['unitId', 'id'])
export class FindingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ type: 'varchar', length: 40 })
  kind: string;
  @Column({ type: 'text' })
  note: string;
  @Column({ name: 'issued_by', type: 'varchar', length: 200 })
  issuedBy: string;
  @Column({ name: 'issued_at', type: 'bigint' })
  issuedAt: number;
  @Column({ name: 'resolved_at', type: 'bigint', nullable: true })
  resolvedAt: number | null;
  @Column({ name: 'resolved_by', type: 'varchar', length: 200, nullable: true })
  resolvedBy: string | null;
  @Column({ type: 'text', nullable: true })
  response: string | null;
}
