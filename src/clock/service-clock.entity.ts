import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row (id 1) in time-travel mode: how far the test clock is ahead of real time. */
@Entity('service_clock')
export class ServiceClockEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;
  @Column({ name: 'offset_ms', type: 'bigint' })
  offsetMs: number;
}
