import { PHASES, UNIT_KINDS } from '../../machines/index.js';
import type { SqlParam } from '../database/db.js';

export interface UnitFilter {
  parentId?: string | null;
  /** Subtree root (excluded) and its depth. */
  under?: { id: string; depth: number } | null;
  /** A principal's scope: the subtree root (included) and its depth. */
  scope?: { id: string; depth: number } | null;
  kind?: string | null;
  phase?: string | null;
}

interface Range {
  conditions: string[];
  params: SqlParam[];
}

/**
 * The ids of a page of `units`, in id order: `limit + 1` of them after `afterId`, as a condition on `u.id`.
 *
 * Every page reads along an index no further than the page, whatever the filters: one range of an index in id order,
 * or several merged. Children of one parent read `(parent_id, id)` and filter the rest (a parent's children are few).
 * A subtree reads `(l{d}_id, kind, phase, id)`, one range per kind and phase it does not name (six kinds, five phases:
 * up to 30 ranges of at most a page each); a kind alone reads `(kind, phase, id)` per phase; a phase alone
 * `(phase, id)`; nothing, the primary key. (Sorting a whole subtree to take its first page took 75 ms at 200,000
 * units on SQLite, in one statement that holds the process.)
 */
export function unitsPageIds(filter: UnitFilter, limit: number, afterId: string | null): Range {
  const kinds = filter.kind ? [filter.kind] : [...UNIT_KINDS];
  const phases = filter.phase ? [filter.phase] : [...PHASES];
  const subtree = filter.under ?? filter.scope ?? null;
  const within: Range = { conditions: [], params: [] };
  const add = (range: Range, condition: string, ...params: SqlParam[]) => {
    range.conditions.push(condition);
    range.params.push(...params);
  };
  if (subtree) add(within, `l${subtree.depth}_id = ?`, subtree.id);
  if (filter.under) add(within, 'id <> ?', filter.under.id);
  let ranges: Range[];
  if (filter.parentId) {
    const range = { conditions: ['parent_id = ?', ...within.conditions], params: [filter.parentId, ...within.params] };
    if (filter.kind) add(range, 'kind = ?', filter.kind);
    if (filter.phase) add(range, 'phase = ?', filter.phase);
    ranges = [range];
  } else if (subtree || filter.kind) {
    ranges = kinds.flatMap((kind) =>
      phases.map((phase) => ({
        conditions: [...within.conditions, 'kind = ?', 'phase = ?'],
        params: [...within.params, kind, phase],
      })),
    );
  } else if (filter.phase) ranges = [{ conditions: ['phase = ?'], params: [filter.phase] }];
  else ranges = [{ conditions: [], params: [] }];
  const params: SqlParam[] = [];
  const selects = ranges.map((range, i) => {
    if (afterId !== null) add(range, 'id > ?', afterId);
    params.push(...range.params, limit + 1);
    const where = range.conditions.length ? ` WHERE ${range.conditions.join(' AND ')}` : '';
    return `SELECT * FROM (SELECT id FROM units${where} ORDER BY id LIMIT ?) AS r${i}`;
  });
  params.push(limit + 1);
  return {
    conditions: [`u.id IN (SELECT id FROM (${selects.join(' UNION ALL ')}) AS page ORDER BY id LIMIT ?)`],
    params,
  };
}
