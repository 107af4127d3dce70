import { Inject, Injectable } from '@nestjs/common';
import { Db, SqlParam, Tx } from '../database/db.js';
import { ANCESTOR_COLUMNS } from './unit.entity.js';
import { MAX_TREE_DEPTH } from './unit-tree.js';
import { unitsPageIds, type UnitFilter } from './units-page-query.js';

export type { UnitFilter } from './units-page-query.js';

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  depth: number;
  ancestors: (string | null)[];
  leaderCount: number;
  phase: string;
  createdAt: number;
  updatedAt: number;
  /** The unit's stored statechart value and version, read with the unit (one statement for `status`). */
  state?: { value: string; version: number; rulebookVersion: number } | null;
}

const COLUMNS = `id, name, kind, parent_id, depth, ${ANCESTOR_COLUMNS.join(', ')}, leader_count, phase, created_at, updated_at`;
/** Units with their snapshot's state value and version: status is part of every read of a unit. */
const READ = `SELECT ${COLUMNS.split(', ')
  .map((c) => `u.${c}`)
  .join(', ')}, s.state_value, s.version, s.rulebook_version FROM units u LEFT JOIN unit_states s ON s.unit_id = u.id`;

type RawUnit = Record<string, unknown>;

function toRow(raw: RawUnit): UnitRow {
  return {
    id: raw.id as string,
    name: raw.name as string,
    kind: raw.kind as string,
    parentId: (raw.parent_id as string | null) ?? null,
    depth: Number(raw.depth),
    ancestors: ANCESTOR_COLUMNS.map((c) => (raw[c] as string | null) ?? null),
    leaderCount: Number(raw.leader_count),
    phase: raw.phase as string,
    createdAt: Number(raw.created_at),
    updatedAt: Number(raw.updated_at),
    state:
      raw.state_value === null || raw.state_value === undefined
        ? null
        : {
            value: raw.state_value as string,
            version: Number(raw.version),
            rulebookVersion: Number(raw.rulebook_version),
          },
  };
}

/** The only code that touches the units table. */
@Injectable()
export class UnitsRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insert(tx: Tx, unit: UnitRow): Promise<void> {
    await tx.run(
      `INSERT INTO units (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ${ANCESTOR_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?, ?)`,
      [
        unit.id,
        unit.name,
        unit.kind,
        unit.parentId,
        unit.depth,
        ...unit.ancestors,
        unit.leaderCount,
        unit.phase,
        unit.createdAt,
        unit.updatedAt,
      ],
    );
  }

  async findByIds(ids: readonly string[], tx?: Tx): Promise<UnitRow[]> {
    if (ids.length === 0) return [];
    const sql = `${READ} WHERE u.id IN (${ids.map(() => '?').join(', ')})`;
    const rows = tx ? await tx.query<RawUnit>(sql, [...ids]) : await this.db.query<RawUnit>(sql, [...ids]);
    return rows.map(toRow);
  }

  async findById(id: string, tx?: Tx): Promise<UnitRow | null> {
    const sql = `${READ} WHERE u.id = ?`;
    const [raw] = tx ? await tx.query<RawUnit>(sql, [id]) : await this.db.query<RawUnit>(sql, [id]);
    return raw ? toRow(raw) : null;
  }

  /** A page in id order (ids are UUIDv7: creation order), `limit + 1` rows to tell whether more follow. */
  /** A page of units in id order, read along an index no further than the page (see unitsPageIds). */
  async page(filter: UnitFilter, limit: number, afterId: string | null): Promise<UnitRow[]> {
    if (filter.under && filter.under.depth >= MAX_TREE_DEPTH - 1) return [];
    const ids = unitsPageIds(filter, limit, afterId);
    const sql = `${READ} WHERE ${ids.conditions.join(' AND ')} ORDER BY u.id`;
    return (await this.db.query<RawUnit>(sql, ids.params)).map(toRow);
  }

  /**
   * The first `limit + 1` children of each parent after `afterId`, for many parents in one statement
   * (a page of units with their children costs one query, not one per unit).
   */
  async childrenOf(
    parentIds: readonly string[],
    limit: number,
    afterId: string | null,
  ): Promise<Map<string, UnitRow[]>> {
    const result = new Map<string, UnitRow[]>(parentIds.map((id) => [id, []]));
    if (parentIds.length === 0) return result;
    const params: SqlParam[] = [...parentIds];
    let after = '';
    if (afterId) {
      after = ' AND id > ?';
      params.push(afterId);
    }
    params.push(limit + 1);
    // one parent (a page of children): along the (parent_id, id) index, stopping at the page's end; several: ranked
    const sql =
      parentIds.length === 1
        ? `${READ} WHERE u.parent_id = ?${after.replace('id', 'u.id')} ORDER BY u.id LIMIT ?`
        : `SELECT * FROM (${READ.replace(' FROM units u', ', ROW_NUMBER() OVER (PARTITION BY u.parent_id ORDER BY u.id) AS rn FROM units u')} ` +
          `WHERE parent_id IN (${parentIds.map(() => '?').join(', ')})${after}) ranked WHERE rn <= ? ORDER BY parent_id, id`;
    for (const raw of await this.db.query<RawUnit>(sql, params)) {
      const row = toRow(raw);
      result.get(row.parentId!)!.push(row);
    }
    return result;
  }

  /** The phase of the unit's parent (null for a root), read in the command's transaction. */
  async parentPhase(tx: Tx, unitId: string): Promise<string | null> {
    const [row] = await tx.query<{ phase: string | null }>(
      'SELECT p.phase AS phase FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?',
      [unitId],
    );
    return row?.phase ?? null;
  }

  /** Keeps the denormalized phase (dashboard filters) equal to the snapshot's, in the command's transaction. */
  async setPhase(tx: Tx, id: string, phase: string, now: number): Promise<void> {
    await tx.run('UPDATE units SET phase = ?, updated_at = ? WHERE id = ?', [phase, now, id]);
  }

  /** The root and every unit under it, parents before children (by depth, then id), read a page at a time. */
  async *subtreeInTreeOrder(rootId: string, rootDepth: number, pageSize = 500): AsyncGenerator<UnitRow> {
    const root = await this.findById(rootId);
    if (!root) return;
    yield root;
    for (let depth = rootDepth + 1; depth < MAX_TREE_DEPTH; depth++) {
      let afterId = '';
      for (;;) {
        const rows = await this.db.query<RawUnit>(
          `${READ} WHERE l${rootDepth}_id = ? AND depth = ? AND u.id > ? ORDER BY u.id LIMIT ?`,
          [rootId, depth, afterId, pageSize],
        );
        for (const raw of rows) yield toRow(raw);
        if (rows.length < pageSize) break;
        afterId = rows[rows.length - 1].id as string;
      }
    }
  }

  /** Units in the subtree of `rootId` (itself included). */
  async countSubtree(rootId: string, rootDepth: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM units WHERE l${rootDepth}_id = ?`, [
      rootId,
    ]);
    return Number(row.n);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM units');
    return Number(row.n);
  }
}
