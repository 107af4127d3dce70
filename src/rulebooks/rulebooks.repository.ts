import { Inject, Injectable } from '@nestjs/common';
import { Db, type SqlParam, type Tx } from '../database/db.js';
import type { RulebookRecord } from './rulebook-document.js';

const COLUMNS = 'version, ruleset, based_on, document, content_hash, reason, published_by, published_at, built_in';

type Raw = Record<string, unknown>;

const toRecord = (raw: Raw): RulebookRecord => ({
  version: Number(raw.version),
  ruleset: Number(raw.ruleset),
  basedOn: raw.based_on === null ? null : Number(raw.based_on),
  document: raw.document as string,
  contentHash: raw.content_hash as string,
  reason: (raw.reason as string | null) ?? null,
  publishedBy: (raw.published_by as string | null) ?? null,
  publishedAt: raw.published_at === null ? null : Number(raw.published_at),
  builtIn: Number(raw.built_in) === 1,
});

const values = (r: RulebookRecord): SqlParam[] => [
  r.version,
  r.ruleset,
  r.basedOn,
  r.document,
  r.contentHash,
  r.reason,
  r.publishedBy,
  r.publishedAt,
  r.builtIn ? 1 : 0,
];

/** The only code that touches the `rulebooks` table: inserts (never updates: triggers refuse them) and reads. */
@Injectable()
export class RulebooksRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Inserts the document unless its version is taken: 1 if it was inserted, 0 if another one holds the number (a
   * concurrent publication, or a seed already there). Never an error for the lost race: the caller decides.
   */
  insertIfAbsent(tx: Tx, record: RulebookRecord): Promise<number> {
    return tx.run(
      `INSERT INTO rulebooks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING`,
      values(record),
    );
  }

  async find(version: number, tx?: Tx): Promise<RulebookRecord | null> {
    const sql = `SELECT ${COLUMNS} FROM rulebooks WHERE version = ?`;
    const [raw] = tx ? await tx.query<Raw>(sql, [version]) : await this.db.query<Raw>(sql, [version]);
    return raw ? toRecord(raw) : null;
  }

  async all(): Promise<RulebookRecord[]> {
    return (await this.db.query<Raw>(`SELECT ${COLUMNS} FROM rulebooks ORDER BY version`)).map(toRecord);
  }

  /** The highest version stored (0 in a database without any); `published`: among the published ones only. */
  async highest(tx?: Tx, published = false): Promise<number> {
    const sql = `SELECT MAX(version) AS highest FROM rulebooks${published ? ' WHERE built_in = 0' : ''}`;
    const [raw] = tx ? await tx.query<Raw>(sql) : await this.db.query<Raw>(sql);
    return raw?.highest == null ? 0 : Number(raw.highest);
  }
}
