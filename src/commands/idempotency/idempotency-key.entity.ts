import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A principal's idempotency keys, with the result to replay; pruned after 24 hours. */
@Entity('idempotency_keys')
@Index('ix_idempotency_keys_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  principal: string;
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 200 })
  key: string;
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string;
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;
  @Column({ type: 'text' })
  response: string;
  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: number;
}
