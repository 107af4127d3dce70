import { Inject, Injectable } from '@nestjs/common';
import { Db, type SqlParam, type Tx } from '../database/db.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import {
  idleSinceOf,
  type ActivityRow,
  type Laggard,
  type Rusher,
  type SubtreeRoot,
  type Touch,
} from './activity-rows.js';
import { laggardsQuery, subtree } from './laggards-query.js';

export { idleSinceOf } from './activity-rows.js';
export type { ActivityRow, Laggard, Rusher, SubtreeRoot, Touch } from './activity-rows.js';

const LEVELS = Array.from({ length: MAX_TREE_DEPTH - 1 }, (_, d) => `l${d}_id`);
const COLUMNS = `unit_id, parent_id, ${LEVELS.join(', ')}, kind, registered, done, launched_at, parent_launched_at, last_event_at, idle_since`;

/** What an accepted event changes in a unit's idleness row (the rest — ancestors, kind — never changes). */
const UPSERT = ['registered', 'done', 'launched_at', 'parent_launched_at', 'last_event_at', 'idle_since']
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

/** The only code that touches unit_activity and unit_refusals (laggards and rushing). */
@Injectable()
export class ActivityRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Set when this process writes pending rows (SQLite): the folder's cue to run soon. */
  pendingSinceFold = false;

  /** SQLite keeps the last events' idleness in a pending table folded in the background; PostgreSQL updates in place. */
  get pendingInUse(): boolean {
    return this.db.dialect === 'sqlite';
  }

  async insert(tx: Tx, row: ActivityRow): Promise<void> {
    await tx.run(
      `INSERT INTO unit_activity (unit_id, parent_id, ${LEVELS.join(', ')}, kind, registered, done, launched_at, parent_launched_at, last_event_at, idle_since) ` +
        `VALUES (?, ?, ${LEVELS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.unitId,
        row.parentId,
        ...row.ancestors.slice(0, LEVELS.length),
        row.kind,
        row.registered ? 1 : 0,
        row.done ? 1 : 0,
        row.launchedAt,
        row.parentLaunchedAt,
        row.lastEventAt,
        idleSinceOf(row),
      ],
    );
  }

  /**
   * When a unit launched (null: not yet, or no such unit), read in the command's transaction. On PostgreSQL the row
   * is share-locked: a launch of that unit running at the same time commits first (and is seen), or waits for this
   * transaction (and then sees what it wrote) — see `parentLaunched`.
   */
  async launchedAt(tx: Tx, unitId: string): Promise<number | null> {
    const [row] = await tx.query<{ launched_at: number | null }>(
      `SELECT launched_at FROM unit_activity WHERE unit_id = ?${tx.dialect === 'postgres' ? ' FOR SHARE' : ''}`,
      [unitId],
    );
    return row?.launched_at == null ? null : Number(row.launched_at);
  }

  /**
   * An accepted event on the unit: its last event, phase flags, and its idleness from them. With `parentId` (a unit
   * registered before or after the event) the parent's launch is read too — in the same statement on PostgreSQL,
   * share-locked as in `launchedAt`; just before, in process, on SQLite: a registered unit is idle since its parent's
   * launch if that came first, and `parent_launched_at` records the parent's launch once it came before one of the
   * unit's events. On SQLite every event writes the unit's pending row instead of moving five index entries (see
   * `fold`); one that changes the phase (`samePhase` false) also updates the row's unindexed columns in place, so that
   * its launch is current in `unit_activity` for whoever reads it there.
   */
  async touch(tx: Tx, t: Touch): Promise<void> {
    const reg = t.registered ? 1 : 0;
    if (tx.dialect === 'postgres') {
      const set = 'last_event_at = ?, registered = ?, done = ?, launched_at = ?';
      const params: SqlParam[] = [t.at, reg, t.done ? 1 : 0, t.launchedAt];
      if (t.parentId === null)
        await tx.run(`UPDATE unit_activity SET ${set}, idle_since = ? WHERE unit_id = ?`, [...params, t.at, t.unitId]);
      else
        await tx.run(
          `UPDATE unit_activity SET ${set}, parent_launched_at = CASE WHEN p.pl <= ? THEN p.pl END, ` +
            'idle_since = CASE WHEN ? = 1 AND p.pl < ? THEN p.pl ELSE ? END ' +
            'FROM (SELECT (SELECT launched_at FROM unit_activity WHERE unit_id = ? FOR SHARE) AS pl) p WHERE unit_activity.unit_id = ?',
          [...params, t.at, reg, t.at, t.at, t.parentId, t.unitId],
        );
      return;
    }
    // in process, two statements cost less than one UPDATE … FROM (which SQLite runs through a temporary table)
    const pl = t.parentId === null ? null : await this.launchedAt(tx, t.parentId);
    const idleSince = t.registered && pl !== null && pl < t.at ? pl : t.at;
    // without a parent to read, the recorded parent launch stays as it is
    const parentLaunched = t.parentId === null ? 'parent_launched_at' : '?';
    const parentParams: SqlParam[] = t.parentId === null ? [] : [pl !== null && pl <= t.at ? pl : null];
    await tx.run(
      `INSERT INTO unit_activity_pending (${COLUMNS}) SELECT unit_id, parent_id, ${LEVELS.join(', ')}, kind, ?, ?, ?, ` +
        `${parentLaunched}, ?, ? FROM unit_activity WHERE unit_id = ? ON CONFLICT (unit_id) DO UPDATE SET ${UPSERT}`,
      [reg, t.done ? 1 : 0, t.launchedAt, ...parentParams, t.at, idleSince, t.unitId],
    );
    this.pendingSinceFold = true;
    // a phase change: the row's unindexed columns stay current for the readers of a unit's launch (children, importer)
    if (!t.samePhase)
      await tx.run(
        `UPDATE unit_activity SET registered = ?, launched_at = ?, parent_launched_at = ${parentLaunched} WHERE unit_id = ?`,
        [reg, t.launchedAt, ...parentParams, t.unitId],
      );
  }

  /**
   * Several units' accepted events at once (distinct units: a batch of a migration), as `touch` does one by one. The
   * events that read no parent — the common case — are written in one statement: on PostgreSQL the rows updated in
   * place from the batch sent as one JSON parameter; on SQLite, for those that keep the phase too, their pending rows.
   * The others go through `touch`.
   */
  async touchAll(tx: Tx, touches: readonly Touch[]): Promise<void> {
    const plain: Touch[] = [];
    for (const t of touches)
      if (t.parentId === null && (t.samePhase || tx.dialect === 'postgres')) plain.push(t);
      else await this.touch(tx, t);
    if (plain.length === 0) return;
    if (tx.dialect === 'postgres') {
      // as `touch` without a parent: the recorded parent launch stays, and the unit is idle since this event
      const rows = plain.map((t) => ({
        unit_id: t.unitId,
        at: t.at,
        registered: t.registered ? 1 : 0,
        done: t.done ? 1 : 0,
        launched_at: t.launchedAt,
      }));
      await tx.run(
        'UPDATE unit_activity SET last_event_at = v.at, registered = v.registered, done = v.done, ' +
          'launched_at = v.launched_at, idle_since = v.at ' +
          'FROM json_to_recordset(?::json) AS v(unit_id varchar, at bigint, registered smallint, done smallint, launched_at bigint) ' +
          'WHERE unit_activity.unit_id = v.unit_id',
        [JSON.stringify(rows)],
      );
      return;
    }
    const params: SqlParam[] = [];
    for (const t of plain) params.push(t.unitId, t.registered ? 1 : 0, t.done ? 1 : 0, t.launchedAt, t.at);
    // as in `touch` without a parent: the recorded parent launch stays, and the unit is idle since this event
    await tx.run(
      `INSERT INTO unit_activity_pending (${COLUMNS}) SELECT a.unit_id, a.parent_id, ${LEVELS.map((l) => `a.${l}`).join(', ')}, ` +
        'a.kind, v.column2, v.column3, v.column4, a.parent_launched_at, v.column5, v.column5 ' +
        `FROM (VALUES ${plain.map(() => '(?, ?, ?, ?, ?)').join(', ')}) v JOIN unit_activity a ON a.unit_id = v.column1 ` +
        `WHERE true ON CONFLICT (unit_id) DO UPDATE SET ${UPSERT}`,
      params,
    );
    this.pendingSinceFold = true;
  }

  /**
   * A unit launched at `at`. Its registered children's events all came before (a command is stamped when it runs),
   * so none of them is idle since later than the launch and nothing is written: a child reads the launch when its
   * next event comes (`touch`). Only a child whose event raced the launch (stamped later, committed while the launch
   * ran) is moved back to the launch here. One index range read on the parent, no write in the common case.
   */
  async parentLaunched(tx: Tx, parentId: string, at: number): Promise<void> {
    const tables = tx.dialect === 'sqlite' ? ['unit_activity', 'unit_activity_pending'] : ['unit_activity'];
    for (const table of tables)
      await tx.run(
        `UPDATE ${table} SET parent_launched_at = ?, idle_since = ? WHERE parent_id = ? AND registered = 1 AND idle_since > ?`,
        [at, at, parentId, at],
      );
  }

  /**
   * SQLite: moves up to `limit` pending rows into `unit_activity`, in one transaction of the serialized writer (no
   * command runs in between). Batched, the five level indexes are written once per unit and fold, not once per
   * event. Returns the rows moved. Reads are exact whether or not it has run (see `laggards`).
   */
  async fold(limit: number): Promise<number> {
    if (this.db.dialect !== 'sqlite') return 0;
    const batch = 'SELECT unit_id FROM unit_activity_pending ORDER BY unit_id LIMIT ?';
    return this.db.transaction(async (tx) => {
      // background work, not a request's: kept out of the statement count (see RollupsRepository.fold)
      const uncounted = <T>(sent: Promise<T>): Promise<T> => {
        this.db.statementCount--;
        return sent;
      };
      const moved = await uncounted(
        tx.run(
          `INSERT INTO unit_activity (${COLUMNS}) SELECT ${COLUMNS} FROM unit_activity_pending WHERE unit_id IN (${batch}) ` +
            `ON CONFLICT (unit_id) DO UPDATE SET ${UPSERT}`,
          [limit],
        ),
      );
      await uncounted(tx.run(`DELETE FROM unit_activity_pending WHERE unit_id IN (${batch})`, [limit]));
      return moved;
    });
  }

  /** Pending rows not yet folded (SQLite; 0 on PostgreSQL). */
  async pending(): Promise<number> {
    if (this.db.dialect !== 'sqlite') return 0;
    const [row] = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM unit_activity_pending');
    return Number(row.n);
  }

  /**
   * Laggards of a subtree (itself included): not done, idle since `idleBefore` or earlier, oldest idleness first,
   * keyset-paged on (idle_since, unit_id) along the level's index, one range per kind (see laggardsQuery); `limit + 1` rows.
   */
  async laggards(
    root: SubtreeRoot,
    idleBefore: number,
    kind: string | null,
    limit: number,
    after: Laggard | null,
  ): Promise<Laggard[]> {
    const { sql, params } = laggardsQuery(this.db.dialect, { root, idleBefore, kind, limit, after });
    const rows = await this.db.query<{ unit_id: string; idle_since: number }>(sql, params);
    return rows.map((r) => ({ unitId: r.unit_id, idleSince: Number(r.idle_since) }));
  }

  /** A refused stage event of the unit on campaign day `day`. */
  async addRefusal(tx: Tx, unitId: string, ancestors: (string | null)[], day: number): Promise<void> {
    await tx.run(
      `INSERT INTO unit_refusals (unit_id, day, refused, ${LEVELS.join(', ')}) VALUES (?, ?, 1, ${LEVELS.map(() => '?').join(', ')}) ` +
        'ON CONFLICT (unit_id, day) DO UPDATE SET refused = unit_refusals.refused + 1',
      [unitId, day, ...ancestors.slice(0, LEVELS.length)],
    );
  }

  /**
   * Units of a subtree (itself included) with at least `minRefused` refused stage events since day `fromDay`, most
   * first, keyset-paged on (refused desc, unit_id); reads the window's rows along the level's (l, day) index.
   */
  async rushing(
    root: SubtreeRoot,
    fromDay: number,
    minRefused: number,
    limit: number,
    after: Rusher | null,
  ): Promise<Rusher[]> {
    const params: SqlParam[] = [root.id, fromDay, minRefused];
    let having = 'SUM(refused) >= ?';
    if (after) {
      having += ' AND (SUM(refused) < ? OR (SUM(refused) = ? AND unit_id > ?))';
      params.push(after.refused, after.refused, after.unitId);
    }
    params.push(limit + 1);
    const rows = await this.db.query<{ unit_id: string; n: number }>(
      `SELECT unit_id, SUM(refused) AS n FROM unit_refusals WHERE ${subtree(root)} AND day >= ? GROUP BY unit_id HAVING ${having} ORDER BY n DESC, unit_id LIMIT ?`,
      params,
    );
    return rows.map((r) => ({ unitId: r.unit_id, refused: Number(r.n) }));
  }

  /**
   * Whether the subtree holds more than `most` rows of refusals (a unit and a day each) since day `fromDay`: rushing
   * ranks them all in one statement, so it asks first, reading at most `most + 1` entries of the level's index.
   */
  async refusalDaysOver(root: SubtreeRoot, fromDay: number, most: number): Promise<boolean> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM unit_refusals WHERE ${subtree(root)} AND day >= ? LIMIT ?) AS w`,
      [root.id, fromDay, most + 1],
    );
    return Number(row.n) > most;
  }

  /** Each unit's own refused stage events per day (verification recounts rollups from them). */
  async refusalsOf(unitIds: readonly string[]): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>();
    if (unitIds.length === 0) return out;
    const rows = await this.db.query<{ unit_id: string; day: number; refused: number }>(
      `SELECT unit_id, day, refused FROM unit_refusals WHERE unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      [...unitIds],
    );
    for (const r of rows) {
      const days = out.get(r.unit_id) ?? new Map<number, number>();
      days.set(Number(r.day), Number(r.refused));
      out.set(r.unit_id, days);
    }
    return out;
  }
}
