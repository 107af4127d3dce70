import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One-time work done once whichever instance gets there first (e.g. loading the demo province). */
@Entity('service_markers')
export class ServiceMarkerEntity {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  name: string;
  @Column({ type: 'bigint' })
  at: number;
}
