import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../database/db.js';

export interface OpinionRow {
  id: string;
  targetUnitId: string;
  collectedByUnitId: string;
  channel: string;
  category: string;
  text: string;
  occurredAt: number;
  recordedAt: number;
  claimedAt: number | null;
}

export interface ProblemRow {
  id: string;
  unitId: string;
  category: string;
  description: string;
  fixAtOnce: boolean;
  dueAt: number | null;
  sourceOpinionId: string | null;
  identifiedAt: number;
  rectifiedAt: number | null;
  action: string | null;
}

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const opinion = (r: Raw): OpinionRow => ({
  id: r.id as string,
  targetUnitId: r.target_unit_id as string,
  collectedByUnitId: r.collected_by_unit_id as string,
  channel: r.channel as string,
  category: r.category as string,
  text: r.text as string,
  occurredAt: Number(r.occurred_at),
  recordedAt: Number(r.recorded_at),
  claimedAt: num(r.claimed_at),
});

const problem = (r: Raw): ProblemRow => ({
  id: r.id as string,
  unitId: r.unit_id as string,
  category: r.category as string,
  description: r.description as string,
  fixAtOnce: Number(r.fix_at_once) === 1,
  dueAt: num(r.due_at),
  sourceOpinionId: (r.source_opinion_id as string | null) ?? null,
  identifiedAt: Number(r.identified_at),
  rectifiedAt: num(r.rectified_at),
  action: (r.action as string | null) ?? null,
});

/**
 * The read models of opinions and problems, written in the same transaction as the event that creates or changes
 * them (so they never disagree with the history), read for listings and for the checks of later commands.
 */
@Injectable()
export class EvidenceRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insertOpinion(tx: Tx, o: OpinionRow): Promise<void> {
    await tx.run(
      'INSERT INTO opinions (id, target_unit_id, collected_by_unit_id, channel, category, text, occurred_at, recorded_at, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        o.id,
        o.targetUnitId,
        o.collectedByUnitId,
        o.channel,
        o.category,
        o.text,
        o.occurredAt,
        o.recordedAt,
        o.claimedAt,
      ],
    );
  }
  async claimOpinion(tx: Tx, id: string, at: number): Promise<void> {
    await tx.run('UPDATE opinions SET claimed_at = ? WHERE id = ?', [at, id]);
  }
  async findOpinion(tx: Tx, id: string): Promise<OpinionRow | null> {
    const [raw] = await tx.query<Raw>('SELECT * FROM opinions WHERE id = ?', [id]);
    return raw ? opinion(raw) : null;
  }
  async opinionsOf(
    unitId: string,
    afterId: string | null,
    limit: number,
    unclaimedOnly: boolean,
  ): Promise<OpinionRow[]> {
    const claimed = unclaimedOnly ? ' AND claimed_at IS NULL AND collected_by_unit_id <> target_unit_id' : '';
    const rows = await this.db.query<Raw>(
      `SELECT * FROM opinions WHERE target_unit_id = ? AND id > ?${claimed} ORDER BY id LIMIT ?`,
      [unitId, afterId ?? '', limit],
    );
    return rows.map(opinion);
  }
  async insertProblem(tx: Tx, p: ProblemRow): Promise<void> {
    await tx.run(
      'INSERT INTO problems (id, unit_id, category, description, fix_at_once, due_at, source_opinion_id, identified_at, rectified_at, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        p.id,
        p.unitId,
        p.category,
        p.description,
        p.fixAtOnce ? 1 : 0,
        p.dueAt,
        p.sourceOpinionId,
        p.identifiedAt,
        p.rectifiedAt,
        p.action,
      ],
    );
  }
  async rectifyProblem(tx: Tx, id: string, at: number, action: string): Promise<void> {
    await tx.run('UPDATE problems SET rectified_at = ?, action = ? WHERE id = ?', [at, action, id]);
  }
  async findProblem(tx: Tx, id: string): Promise<ProblemRow | null> {
    const [raw] = await tx.query<Raw>('SELECT * FROM problems WHERE id = ?', [id]);
    return raw ? problem(raw) : null;
  }
  async problemsOf(unitId: string, afterId: string | null, limit: number): Promise<ProblemRow[]> {
    const rows = await this.db.query<Raw>('SELECT * FROM problems WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?', [
      unitId,
      afterId ?? '',
      limit,
    ]);
    return rows.map(problem);
  }
}
