import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An immutable, numbered rulebook document (triggers refuse UPDATE and DELETE); only RulebooksRepository reads it. */
@Entity('rulebooks')
export class RulebookEntity {
  @PrimaryColumn({ type: 'integer' })
  version: number;
  @Column({ type: 'integer' })
  ruleset: number;
  @Column({ name: 'based_on', type: 'integer', nullable: true })
  basedOn: number | null;
  /** canonical JSON of the whole document */
  @Column({ type: 'text' })
  document: string;
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;
  @Column({ type: 'text', nullable: true })
  reason: string | null;
  @Column({ name: 'published_by', type: 'varchar', length: 200, nullable: true })
  publishedBy: string | null;
  @Column({ name: 'published_at', type: 'bigint', nullable: true })
  publishedAt: number | null;
  @Column({ name: 'built_in', type: 'smallint' })
  builtIn: number;
}
