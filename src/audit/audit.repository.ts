import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../database/db.js';
import { toEvent, type EventRow } from '../history/event-store.repository.js';
import type { Head } from './checkpoint.js';

export interface CheckpointRow {
  id: number;
  createdAt: number;
  unitCount: number;
  digest: string;
  prevSignature: string;
  signature: string;
}

type Raw = Record<string, unknown>;
const checkpoint = (r: Raw): CheckpointRow => ({
  id: Number(r.id),
  createdAt: Number(r.created_at),
  unitCount: Number(r.unit_count),
  digest: r.digest as string,
  prevSignature: r.prev_signature as string,
  signature: r.signature as string,
});

const EVENT_COLUMNS =
  'unit_id, seq, type, payload, actor, role, reason, at, occurred_at, recorded_at, rulebook_version, override, idempotency_key, prev_hash, hash';

/** What auditors read: whole histories, chain heads, checkpoints. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async eventsOf(unitId: string): Promise<EventRow[]> {
    return (
      await this.db.query<Raw>(`SELECT ${EVENT_COLUMNS} FROM unit_events WHERE unit_id = ? ORDER BY seq`, [unitId])
    ).map(toEvent);
  }

  /** Events of many units at once, grouped by unit (the CLI and the bench verify in batches). */
  async eventsOfUnits(unitIds: string[]): Promise<Map<string, EventRow[]>> {
    const result = new Map<string, EventRow[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return result;
    const rows = await this.db.query<Raw>(
      `SELECT ${EVENT_COLUMNS} FROM unit_events WHERE unit_id IN (${unitIds.map(() => '?').join(', ')}) ORDER BY unit_id, seq`,
      unitIds,
    );
    for (const raw of rows) result.get(raw.unit_id as string)!.push(toEvent(raw));
    return result;
  }

  async heads(tx: Tx): Promise<Head[]> {
    const rows = await tx.query<Raw>(
      'SELECT unit_id, version, head_hash FROM unit_states WHERE version > 0 ORDER BY unit_id',
    );
    return rows.map((r) => ({ unitId: r.unit_id as string, seq: Number(r.version), hash: r.head_hash as string }));
  }

  async latestCheckpoint(tx?: Tx): Promise<CheckpointRow | null> {
    const sql = 'SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1';
    const [raw] = tx ? await tx.query<Raw>(sql) : await this.db.query<Raw>(sql);
    return raw ? checkpoint(raw) : null;
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    return (await this.db.query<Raw>('SELECT * FROM audit_checkpoints ORDER BY id')).map(checkpoint);
  }

  async insertCheckpoint(tx: Tx, row: Omit<CheckpointRow, 'id'>, heads: Head[]): Promise<number> {
    await tx.run(
      'INSERT INTO audit_checkpoints (created_at, unit_count, digest, prev_signature, signature) VALUES (?, ?, ?, ?, ?)',
      [row.createdAt, row.unitCount, row.digest, row.prevSignature, row.signature],
    );
    const [created] = await tx.query<Raw>(
      'SELECT id FROM audit_checkpoints WHERE signature = ? ORDER BY id DESC LIMIT 1',
      [row.signature],
    );
    const id = Number(created.id);
    for (let i = 0; i < heads.length; i += 200) {
      const batch = heads.slice(i, i + 200);
      await tx.run(
        `INSERT INTO audit_checkpoint_heads (checkpoint_id, unit_id, seq, hash) VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((h) => [id, h.unitId, h.seq, h.hash]),
      );
    }
    return id;
  }

  async headsOf(checkpointId: number): Promise<Head[]> {
    const rows = await this.db.query<Raw>(
      'SELECT unit_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = ?',
      [checkpointId],
    );
    return rows.map((r) => ({ unitId: r.unit_id as string, seq: Number(r.seq), hash: r.hash as string }));
  }

  /** One checkpoint's heads of these units. */
  async headsFor(checkpointId: number, unitIds: string[]): Promise<Map<string, { seq: number; hash: string }>> {
    if (unitIds.length === 0) return new Map();
    const rows = await this.db.query<Raw>(
      `SELECT unit_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = ? AND unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      [checkpointId, ...unitIds],
    );
    return new Map(rows.map((r) => [r.unit_id as string, { seq: Number(r.seq), hash: r.hash as string }]));
  }

  async headOf(checkpointId: number, unitId: string): Promise<Head | null> {
    const [raw] = await this.db.query<Raw>(
      'SELECT unit_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = ? AND unit_id = ?',
      [checkpointId, unitId],
    );
    return raw ? { unitId, seq: Number(raw.seq), hash: raw.hash as string } : null;
  }
}
