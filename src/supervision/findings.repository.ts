import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../database/db.js';

export interface FindingRow {
  id: string;
  unitId: string;
  kind: string;
  note: string;
  issuedBy: string;
  issuedAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  response: string | null;
}

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const finding = (r: Raw): FindingRow => ({
  id: r.id as string,
  unitId: r.unit_id as string,
  kind: r.kind as string,
  note: r.note as string,
  issuedBy: r.issued_by as string,
  issuedAt: Number(r.issued_at),
  resolvedAt: num(r.resolved_at),
  resolvedBy: (r.resolved_by as string | null) ?? null,
  response: (r.response as string | null) ?? null,
});

/** The read model of supervision findings, written in the transaction of the event that issues or resolves one. */
@Injectable()
export class FindingsRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insertFinding(tx: Tx, f: FindingRow): Promise<void> {
    await tx.run(
      'INSERT INTO findings (id, unit_id, kind, note, issued_by, issued_at, resolved_at, resolved_by, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [f.id, f.unitId, f.kind, f.note, f.issuedBy, f.issuedAt, f.resolvedAt, f.resolvedBy, f.response],
    );
  }
  async resolveFinding(tx: Tx, id: string, at: number, by: string, response: string): Promise<void> {
    await tx.run('UPDATE findings SET resolved_at = ?, resolved_by = ?, response = ? WHERE id = ?', [
      at,
      by,
      response,
      id,
    ]);
  }
  async findFinding(tx: Tx, id: string): Promise<FindingRow | null> {
    const [raw] = await tx.query<Raw>('SELECT * FROM findings WHERE id = ?', [id]);
    return raw ? finding(raw) : null;
  }
  async findingsOf(unitId: string, afterId: string | null, limit: number): Promise<FindingRow[]> {
    const rows = await this.db.query<Raw>('SELECT * FROM findings WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?', [
      unitId,
      afterId ?? '',
      limit,
    ]);
    return rows.map(finding);
  }
}
