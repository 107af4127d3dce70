import { Injectable } from '@nestjs/common';
import type { SqlParam, Tx } from '../database/db.js';
import type { HistoryEvent } from '../../machines/index.js';
import type { Link } from '../history/history.service.js';

type Raw = Record<string, unknown>;

/** Rows per multi-row INSERT: 15 parameters an event, well inside both databases' limits. */
const ROWS_PER_INSERT = 500;

const placeholders = (rows: number, columns: number) => {
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
};

/**
 * The event store as a migration uses it, a batch of units per statement: their histories read with only the columns
 * the recomputation needs, and their new links written — the compare-and-set per unit, then the events and the
 * snapshots in multi-row INSERTs, each snapshot's JSON written once for both.
 */
@Injectable()
export class UnitMigrationRepository {
  /**
   * The units' events in seq order, read inside the transaction, as the migration's recomputation reads them: only
   * the columns the statechart folds (type, payload, time), each event its parsed payload with `type`, `at` and
   * `atMs` set on it — what `asHistoryEvent` makes of a stored event, without a copy of each.
   */
  async eventsOfUnits(tx: Tx, unitIds: readonly string[]): Promise<Map<string, HistoryEvent[]>> {
    const result = new Map<string, HistoryEvent[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return result;
    const rows = await tx.queryArrays(
      `SELECT unit_id, type, payload, at FROM unit_events WHERE unit_id IN (${unitIds.map(() => '?').join(', ')}) ORDER BY unit_id, seq`,
      [...unitIds],
    );
    // rows come unit by unit: the unit's list is looked up once per unit, not once per event
    let unitId: unknown = null;
    let events: HistoryEvent[] = [];
    for (const [id, type, payload, time] of rows) {
      const event = JSON.parse(payload as string) as Record<string, unknown>;
      const at = Number(time);
      event.type = type;
      event.at = new Date(at).toISOString();
      event.atMs = at;
      if (id !== unitId) {
        unitId = id;
        events = result.get(id as string)!;
      }
      events.push(event as unknown as HistoryEvent);
    }
    return result;
  }

  /**
   * Writes each link: the units' states moved by compare-and-set from `version − 1`, many units per statement (the
   * ids of the units that had moved meanwhile are returned, and nothing of theirs is written — the caller rolls
   * back), then every event and every stored snapshot.
   */
  async writeLinks(tx: Tx, links: readonly Link[]): Promise<string[]> {
    const states: SqlParam[][] = [];
    const snapshots: SqlParam[][] = [];
    for (const link of links) {
      const { state } = link;
      const value = JSON.stringify(state.snapshot.value);
      const context = JSON.stringify(state.snapshot.context);
      states.push([
        state.unitId,
        state.version - 1,
        value,
        context,
        state.version,
        state.rulebookVersion,
        state.headHash,
        state.updatedAt,
      ]);
      if (link.snapshot) {
        const s = link.snapshot;
        // the stored snapshot is the state's own: its JSON is the one just written
        const same = s.snapshot === state.snapshot;
        snapshots.push([
          s.unitId,
          s.seq,
          s.at,
          same ? value : JSON.stringify(s.snapshot.value),
          same ? context : JSON.stringify(s.snapshot.context),
          s.rulebookVersion,
        ]);
      }
    }
    const lost = await moveStates(tx, states);
    if (lost.length) return lost;
    const events = links.map(({ event: e, payloadJson }) => [
      e.unitId,
      e.seq,
      e.type,
      payloadJson,
      e.actor,
      e.role,
      e.reason,
      e.at,
      e.occurredAt,
      e.recordedAt,
      e.rulebookVersion,
      e.override ? 1 : 0,
      e.idempotencyKey,
      e.prevHash,
      e.hash,
    ]);
    await insertRows(
      tx,
      'unit_events (unit_id, seq, type, payload, actor, role, reason, at, occurred_at, recorded_at, rulebook_version, override, idempotency_key, prev_hash, hash)',
      15,
      events,
    );
    await insertRows(tx, 'unit_snapshots (unit_id, seq, at, state_value, context, rulebook_version)', 6, snapshots);
    return lost;
  }
}

/** The columns of a state's move, as `moveStates` takes them (PostgreSQL types the first row's parameters). */
const MOVE_COLUMNS = ['varchar', 'integer', 'text', 'text', 'integer', 'integer', 'varchar', 'bigint'];

/**
 * The compare-and-set of many units in one UPDATE per ROWS_PER_INSERT units: a unit's row moves only if its version is
 * still the one its move was computed from. When fewer rows moved than asked, the ones whose head is not the head
 * just written are the units that had moved meanwhile (a head hash is unique to its link, where a version number is
 * not: another writer may have reached the same version).
 */
async function moveStates(tx: Tx, rows: SqlParam[][]): Promise<string[]> {
  let moved = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const first = `(${MOVE_COLUMNS.map((type) => (tx.dialect === 'postgres' ? `?::${type}` : '?')).join(', ')})`;
    const values = [first, ...new Array<string>(chunk.length - 1).fill(`(${MOVE_COLUMNS.map(() => '?').join(', ')})`)];
    moved += await tx.run(
      'UPDATE unit_states SET state_value = v.column3, context = v.column4, version = v.column5, ' +
        'rulebook_version = v.column6, head_hash = v.column7, updated_at = v.column8 ' +
        `FROM (VALUES ${values.join(', ')}) AS v ` +
        'WHERE unit_states.unit_id = v.column1 AND unit_states.version = v.column2',
      chunk.flat(),
    );
  }
  if (moved === rows.length) return [];
  const heads = new Map(
    (
      await tx.query<Raw>(
        `SELECT unit_id, head_hash FROM unit_states WHERE unit_id IN (${rows.map(() => '?').join(', ')})`,
        rows.map((r) => r[0]),
      )
    ).map((r) => [r.unit_id as string, r.head_hash as string]),
  );
  return rows.filter((r) => heads.get(r[0] as string) !== r[6]).map((r) => r[0] as string);
}

/** Multi-row INSERTs of ROWS_PER_INSERT rows (the last one shorter): a prepared statement per size. */
async function insertRows(tx: Tx, into: string, columns: number, rows: SqlParam[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await tx.run(`INSERT INTO ${into} VALUES ${placeholders(chunk.length, columns)}`, chunk.flat());
  }
}
