/** What a bulk load writes per unit, table by table: the columns and how each is taken from a loaded row. */
import type { SqlParam } from '../database/db.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';

/** One unit as the bulk load writes it: its row, its first snapshot and chain head, its idleness. */
export interface LoadRow {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  depth: number;
  ancestors: (string | null)[];
  leaderCount: number;
  createdAt: number;
  stateValue: string;
  context: string;
  headHash: string;
  /** the rulebook the unit starts on */
  rulebookVersion: number;
  parentLaunchedAt: number | null;
}

export const LEVELS = Array.from({ length: MAX_TREE_DEPTH }, (_, d) => `l${d}_id`);
const ACTIVITY_LEVELS = LEVELS.slice(0, MAX_TREE_DEPTH - 1);

/**
 * A column: its name, its value from a row, and for COPY whether the value may hold characters to escape (free text;
 * ids and kinds are validated as letters, digits, - and _), or is one of the few snapshot JSON strings (escaped once).
 */
export type Column = [name: string, value: (r: LoadRow) => SqlParam, text?: 'free' | 'json'];

/** The rows `createUnit` writes for a new unit, in the same shape (see HistoryService.start and the oversight tables). */
export const LOAD_TABLES: Record<string, Column[]> = {
  units: [
    ['id', (r) => r.id],
    ['name', (r) => r.name, 'free'],
    ['kind', (r) => r.kind],
    ['parent_id', (r) => r.parentId],
    ['depth', (r) => r.depth],
    ...LEVELS.map((l, d): Column => [l, (r) => r.ancestors[d]]),
    ['leader_count', (r) => r.leaderCount],
    ['phase', () => 'registered'],
    ['created_at', (r) => r.createdAt],
    ['updated_at', (r) => r.createdAt],
  ],
  unit_states: [
    ['unit_id', (r) => r.id],
    ['state_value', (r) => r.stateValue, 'json'],
    ['context', (r) => r.context, 'json'],
    ['version', () => 0],
    ['rulebook_version', (r) => r.rulebookVersion],
    ['head_hash', (r) => r.headHash],
    ['updated_at', (r) => r.createdAt],
  ],
  unit_snapshots: [
    ['unit_id', (r) => r.id],
    ['seq', () => 0],
    ['at', (r) => r.createdAt],
    ['state_value', (r) => r.stateValue, 'json'],
    ['context', (r) => r.context, 'json'],
    ['rulebook_version', (r) => r.rulebookVersion],
  ],
  rollups: [
    ['unit_id', (r) => r.id],
    ['units', () => 1],
    ['registered', () => 1],
  ],
  unit_activity: [
    ['unit_id', (r) => r.id],
    ['parent_id', (r) => r.parentId],
    ...ACTIVITY_LEVELS.map((l, d): Column => [l, (r) => r.ancestors[d]]),
    ['kind', (r) => r.kind],
    ['registered', () => 1],
    ['done', () => 0],
    ['launched_at', () => null],
    ['parent_launched_at', (r) => r.parentLaunchedAt],
    ['last_event_at', (r) => r.createdAt],
    [
      'idle_since',
      (r) => (r.parentLaunchedAt !== null && r.parentLaunchedAt < r.createdAt ? r.parentLaunchedAt : r.createdAt),
    ],
  ],
};

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in PostgreSQL COPY's text format: \N for NULL, backslash, newline, carriage return and tab escaped. */
export function copyValue(value: SqlParam): string {
  if (value === null) return '\\N';
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]) : text;
}

/** Snapshot JSON already escaped: a handful of distinct strings, one per kind and leader count. */
const escaped = new Map<string, string>();
function escapeOnce(json: string): string {
  const text = copyValue(json);
  if (escaped.size < 1_000) escaped.set(json, text);
  return text;
}

/** Rows in COPY's text format: tab-separated, one line each. */
export function copyText(columns: Column[], rows: LoadRow[]): string {
  let text = '';
  for (const r of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const [, value, text] = columns[i];
      const v = value(r);
      line += i ? '\t' : '';
      if (v === null) line += '\\N';
      else if (text === 'free') line += copyValue(v);
      else if (text === 'json') line += escaped.get(v as string) ?? escapeOnce(v as string);
      else line += v;
    }
    text += line + '\n';
  }
  return text;
}
