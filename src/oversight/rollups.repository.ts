import { Inject, Injectable } from '@nestjs/common';
import { Db, type SqlParam, type Tx } from '../database/db.js';
import { COUNTERS, zero, type Counter, type Counters } from './counters.js';

type Raw = Record<string, unknown>;

const toCounters = (raw: Raw): Counters => {
  const c = zero();
  for (const k of COUNTERS) c[k] = Number(raw[k] ?? 0);
  return c;
};

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The counters of a read: on PostgreSQL the folded row plus the deltas not yet folded, in one statement (one snapshot). */
function readSql(dialect: Tx['dialect'], where: string): string {
  if (dialect === 'sqlite') return `SELECT unit_id, ${COUNTERS.join(', ')} FROM rollups r WHERE ${where}`;
  const sums = COUNTERS.map((c) => `SUM(${c}) AS ${c}`).join(', ');
  const cols = COUNTERS.map((c) => `r.${c} + COALESCE(d.${c}, 0) AS ${c}`).join(', ');
  return (
    `SELECT r.unit_id, ${cols} FROM rollups r LEFT JOIN ` +
    `(SELECT unit_id, ${sums} FROM rollup_deltas WHERE unit_id IN (SELECT unit_id FROM rollups r WHERE ${where}) GROUP BY unit_id) d ` +
    `ON d.unit_id = r.unit_id WHERE ${where}`
  );
}

/**
 * The only code that touches the rollup tables. SQLite (one writer at a time): the rows of the unit and its ancestors
 * are updated in place. PostgreSQL (many writers): a delta per ancestor is appended instead — appends never wait for
 * one another, where updating the same root row from eight writers would queue them all on it (and deadlock when two
 * touch rows in different orders) — and `fold` moves deltas into the rows in the background.
 */
@Injectable()
export class RollupsRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Set when this process appends deltas (PostgreSQL): the folder's cue to run soon. */
  appendedSinceFold = false;

  /** PostgreSQL appends deltas (folded in the background); SQLite updates rows in place. */
  get deltasInUse(): boolean {
    return this.db.dialect === 'postgres';
  }

  /** A new unit's own rollup row (its subtree is itself). */
  async insertOwn(tx: Tx, unitId: string, c: Counters): Promise<void> {
    await tx.run(`INSERT INTO rollups (unit_id, ${COUNTERS.join(', ')}) VALUES (?, ${marks(COUNTERS.length)})`, [
      unitId,
      ...COUNTERS.map((k) => c[k]),
    ]);
  }

  /** Adds `c` to the rollups of these units (a unit and its ancestors, root first); `day`: a refused stage event's day. */
  async apply(tx: Tx, unitIds: readonly string[], c: Counters, day: number | null): Promise<void> {
    const changed = COUNTERS.filter((k) => c[k] !== 0);
    if (unitIds.length === 0 || changed.length === 0) return;
    if (tx.dialect === 'postgres') {
      const columns = ['unit_id', 'day', ...changed];
      const row = `(${marks(columns.length)})`;
      const params: SqlParam[] = [];
      for (const id of unitIds) params.push(id, day, ...changed.map((k) => c[k]));
      await tx.run(
        `INSERT INTO rollup_deltas (${columns.join(', ')}) VALUES ${unitIds.map(() => row).join(', ')}`,
        params,
      );
      this.appendedSinceFold = true;
      return;
    }
    const set = changed.map((k: Counter) => `${k} = ${k} + ?`).join(', ');
    await tx.run(`UPDATE rollups SET ${set} WHERE unit_id IN (${marks(unitIds.length)})`, [
      ...changed.map((k) => c[k]),
      ...unitIds,
    ]);
    if (day !== null && c.refused_stage_events !== 0) {
      const params: SqlParam[] = [];
      for (const id of unitIds) params.push(id, day, c.refused_stage_events);
      await tx.run(
        `INSERT INTO rollup_refusals (unit_id, day, refused) VALUES ${unitIds.map(() => '(?, ?, ?)').join(', ')} ` +
          'ON CONFLICT (unit_id, day) DO UPDATE SET refused = rollup_refusals.refused + excluded.refused',
        params,
      );
    }
  }

  async read(unitIds: readonly string[]): Promise<Map<string, Counters>> {
    if (unitIds.length === 0) return new Map();
    const where = `r.unit_id IN (${marks(unitIds.length)})`;
    const params = this.db.dialect === 'postgres' ? [...unitIds, ...unitIds] : [...unitIds];
    const rows = await this.db.query<Raw>(readSql(this.db.dialect, where), params);
    return new Map(rows.map((raw) => [raw.unit_id as string, toCounters(raw)]));
  }

  /**
   * A page of one parent's children's rollups, by child id after `afterId`, at most `limit` rows: the ids read along
   * the `(parent_id, id)` index alone, their rollup rows by primary key, in one statement (the units' own rows and
   * states are not read: a page touches a few dozen pages of the database, not hundreds).
   */
  async childrenPage(parentId: string, limit: number, afterId: string | null): Promise<[string, Counters][]> {
    const page = `SELECT id FROM units WHERE parent_id = ?${afterId === null ? '' : ' AND id > ?'} ORDER BY id LIMIT ?`;
    const pageParams: SqlParam[] = afterId === null ? [parentId, limit] : [parentId, afterId, limit];
    const where = `r.unit_id IN (${page})`;
    const params = this.db.dialect === 'postgres' ? [...pageParams, ...pageParams] : pageParams;
    const rows = await this.db.query<Raw>(`${readSql(this.db.dialect, where)} ORDER BY r.unit_id`, params);
    return rows.map((raw) => [raw.unit_id as string, toCounters(raw)]);
  }

  /** Every child's rollup (for the imbalance among them). */
  async ofChildren(parentId: string): Promise<Map<string, Counters>> {
    const where = 'r.unit_id IN (SELECT id FROM units WHERE parent_id = ?)';
    const params = this.db.dialect === 'postgres' ? [parentId, parentId] : [parentId];
    const rows = await this.db.query<Raw>(readSql(this.db.dialect, where), params);
    return new Map(rows.map((raw) => [raw.unit_id as string, toCounters(raw)]));
  }

  /** Refused stage events in the subtree on or after campaign day `fromDay`. */
  async refusedSince(unitId: string, fromDay: number): Promise<number> {
    let sql = 'SELECT COALESCE(SUM(refused), 0) AS n FROM rollup_refusals WHERE unit_id = ? AND day >= ?';
    const params: SqlParam[] = [unitId, fromDay];
    if (this.db.dialect === 'postgres') {
      sql = `SELECT (${sql}) + (SELECT COALESCE(SUM(refused_stage_events), 0) FROM rollup_deltas WHERE unit_id = ? AND day >= ?) AS n`;
      params.push(unitId, fromDay);
    }
    const [row] = await this.db.query<{ n: number }>(sql, params);
    return Number(row.n);
  }

  /** Refused stage events per day of these subtrees (verification). */
  async refusalsByDay(unitIds: readonly string[]): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>();
    if (unitIds.length === 0) return out;
    let sql = `SELECT unit_id, day, refused FROM rollup_refusals WHERE unit_id IN (${marks(unitIds.length)})`;
    const params: SqlParam[] = [...unitIds];
    if (this.db.dialect === 'postgres') {
      sql += ` UNION ALL SELECT unit_id, day, refused_stage_events FROM rollup_deltas WHERE day IS NOT NULL AND unit_id IN (${marks(unitIds.length)})`;
      params.push(...unitIds);
    }
    for (const raw of await this.db.query<Raw>(sql, params)) {
      const days = out.get(raw.unit_id as string) ?? new Map<number, number>();
      days.set(Number(raw.day), (days.get(Number(raw.day)) ?? 0) + Number(raw.refused));
      out.set(raw.unit_id as string, days);
    }
    return out;
  }

  /**
   * PostgreSQL: moves up to `limit` deltas into the rollup rows, in one transaction and under an advisory lock (one
   * folder at a time, whichever instance runs it; the others skip). Writers only append deltas and the folder is
   * the only one updating existing rows, so no two transactions wait on each other's rollup rows. Returns deltas folded.
   */
  async fold(limit: number): Promise<number> {
    if (this.db.dialect !== 'postgres') return 0;
    // background work, not a request's: kept out of the count that tests of per-request batching read (taken back in
    // the same tick as it is counted, so no reader ever sees it)
    const uncounted = <T>(sent: Promise<T>): Promise<T> => {
      this.db.statementCount--;
      return sent;
    };
    return this.db.transaction(async (tx) => {
      const [lock] = await uncounted(
        tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(?) AS ok', [ROLLUP_FOLD_LOCK]),
      );
      if (!lock.ok) return 0;
      const sums = COUNTERS.map((c) => `SUM(${c}) AS ${c}`).join(', ');
      const set = COUNTERS.map((c) => `${c} = r.${c} + s.${c}`).join(', ');
      const [row] = await uncounted(
        tx.query<{ n: number }>(
          `WITH moved AS (DELETE FROM rollup_deltas WHERE id IN (SELECT id FROM rollup_deltas ORDER BY id LIMIT ?) RETURNING *), ` +
            `sums AS (SELECT unit_id, ${sums} FROM moved GROUP BY unit_id), ` +
            `updated AS (UPDATE rollups r SET ${set} FROM sums s WHERE r.unit_id = s.unit_id RETURNING 1), ` +
            `days AS (INSERT INTO rollup_refusals (unit_id, day, refused) SELECT unit_id, day, SUM(refused_stage_events) FROM moved ` +
            `WHERE day IS NOT NULL GROUP BY unit_id, day ON CONFLICT (unit_id, day) DO UPDATE SET refused = rollup_refusals.refused + excluded.refused RETURNING 1) ` +
            `SELECT (SELECT COUNT(*) FROM moved) + 0 * (SELECT COUNT(*) FROM updated) + 0 * (SELECT COUNT(*) FROM days) AS n`,
          [limit],
        ),
      );
      return Number(row.n);
    });
  }

  /** Deltas waiting to be folded (PostgreSQL; 0 on SQLite). */
  async pendingDeltas(): Promise<number> {
    if (this.db.dialect !== 'postgres') return 0;
    const [row] = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rollup_deltas');
    return Number(row.n);
  }
}

/** The advisory lock key of the rollup folder ("rollups" in ASCII, as a number). */
export const ROLLUP_FOLD_LOCK = 0x726f6c6c7570;
