import { UNIT_KINDS } from '../../machines/index.js';
import type { SqlParam } from '../database/db.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import type { Laggard, SubtreeRoot } from './activity-rows.js';

/** The subtree's condition: `l{depth}_id = ?` (served by the level's index), or the unit itself on the last level. */
export function subtree(root: SubtreeRoot): string {
  return root.depth < MAX_TREE_DEPTH - 1 ? `l${root.depth}_id = ?` : 'unit_id = ?';
}

export interface LaggardsAsked {
  root: SubtreeRoot;
  idleBefore: number;
  kind: string | null;
  limit: number;
  after: Laggard | null;
}

/**
 * One statement for a page of laggards: `limit + 1` rows, oldest idleness first, keyset-paged on (idle_since,
 * unit_id).
 *
 * Each level's index is `(l{d}_id, done, kind, idle_since, unit_id)`: one kind's laggards of a subtree are one range
 * of it, already in page order, however rare the kind (a kind filter applied to rows read in idleness order would
 * read on through the whole subtree when the kind has no laggard). Without a kind the page merges one range per
 * kind, each read no further than the page.
 *
 * SQLite also merges the pending rows (the last moments' idleness, a small table without these indexes; see
 * ActivityRepository.fold): the folded rows of units with a pending row are left out, their pending row counts.
 */
export function laggardsQuery(
  dialect: 'sqlite' | 'postgres',
  asked: LaggardsAsked,
): { sql: string; params: SqlParam[] } {
  const { root, idleBefore, kind, limit, after } = asked;
  const where = [subtree(root), 'done = 0', 'kind = ?', 'idle_since <= ?'];
  const keyset = after ? [after.idleSince, after.idleSince, after.unitId] : [];
  if (after) where.push('(idle_since > ? OR (idle_since = ? AND unit_id > ?))');
  const paramsOf = (k: string): SqlParam[] => [root.id, k, idleBefore, ...keyset];
  const kinds = kind ? [kind] : [...UNIT_KINDS];
  const pendingLeftOut =
    dialect === 'sqlite' ? ' AND NOT EXISTS (SELECT 1 FROM unit_activity_pending p WHERE p.unit_id = a.unit_id)' : '';
  const ranges = kinds.map(
    (_, i) =>
      `SELECT * FROM (SELECT unit_id, idle_since FROM unit_activity a WHERE ${where.join(' AND ')}${pendingLeftOut} ` +
      `ORDER BY idle_since, unit_id LIMIT ?) AS k${i}`,
  );
  const params: SqlParam[] = kinds.flatMap((k) => [...paramsOf(k), limit + 1]);
  if (dialect === 'sqlite') {
    const pendingWhere = kind ? where : where.filter((w) => w !== 'kind = ?');
    ranges.push(`SELECT unit_id, idle_since FROM unit_activity_pending WHERE ${pendingWhere.join(' AND ')}`);
    params.push(root.id, ...(kind ? [kind] : []), idleBefore, ...keyset);
  }
  params.push(limit + 1);
  return {
    sql: `SELECT unit_id, idle_since FROM (${ranges.join(' UNION ALL ')}) AS page ORDER BY idle_since, unit_id LIMIT ?`,
    params,
  };
}
