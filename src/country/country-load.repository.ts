import { Inject, Injectable } from '@nestjs/common';
import { Db, type SqlParam, type Tx } from '../database/db.js';
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

export interface ExistingUnit {
  id: string;
  depth: number;
  ancestors: (string | null)[];
  launchedAt: number | null;
}

/** SQLite's page cache during a load, in KiB. */
const BULK_CACHE_KIB = 256 * 1024;
const LEVELS = Array.from({ length: MAX_TREE_DEPTH }, (_, d) => `l${d}_id`);
const ACTIVITY_LEVELS = LEVELS.slice(0, MAX_TREE_DEPTH - 1);

type Column = [name: string, pgType: string, value: (r: LoadRow) => SqlParam];

const TABLES: Record<string, Column[]> = {
  units: [
    ['id', 'varchar', (r) => r.id],
    ['name', 'varchar', (r) => r.name],
    ['kind', 'varchar', (r) => r.kind],
    ['parent_id', 'varchar', (r) => r.parentId],
    ['depth', 'smallint', (r) => r.depth],
    ...LEVELS.map((l, d): Column => [l, 'varchar', (r) => r.ancestors[d]]),
    ['leader_count', 'integer', (r) => r.leaderCount],
    ['phase', 'varchar', () => 'registered'],
    ['created_at', 'bigint', (r) => r.createdAt],
    ['updated_at', 'bigint', (r) => r.createdAt],
  ],
  unit_states: [
    ['unit_id', 'varchar', (r) => r.id],
    ['state_value', 'text', (r) => r.stateValue],
    ['context', 'text', (r) => r.context],
    ['version', 'integer', () => 0],
    ['rulebook_version', 'integer', (r) => r.rulebookVersion],
    ['head_hash', 'varchar', (r) => r.headHash],
    ['updated_at', 'bigint', (r) => r.createdAt],
  ],
  unit_snapshots: [
    ['unit_id', 'varchar', (r) => r.id],
    ['seq', 'integer', () => 0],
    ['at', 'bigint', (r) => r.createdAt],
    ['state_value', 'text', (r) => r.stateValue],
    ['context', 'text', (r) => r.context],
    ['rulebook_version', 'integer', (r) => r.rulebookVersion],
  ],
  rollups: [
    ['unit_id', 'varchar', (r) => r.id],
    ['units', 'integer', () => 1],
    ['registered', 'integer', () => 1],
  ],
  unit_activity: [
    ['unit_id', 'varchar', (r) => r.id],
    ['parent_id', 'varchar', (r) => r.parentId],
    ...ACTIVITY_LEVELS.map((l, d): Column => [l, 'varchar', (r) => r.ancestors[d]]),
    ['kind', 'varchar', (r) => r.kind],
    ['registered', 'smallint', () => 1],
    ['done', 'smallint', () => 0],
    ['launched_at', 'bigint', () => null],
    ['parent_launched_at', 'bigint', (r) => r.parentLaunchedAt],
    ['last_event_at', 'bigint', (r) => r.createdAt],
    [
      'idle_since',
      'bigint',
      (r) => (r.parentLaunchedAt !== null && r.parentLaunchedAt < r.createdAt ? r.parentLaunchedAt : r.createdAt),
    ],
  ],
};

/**
 * The bulk load of a unit tree (npm run import): no per-row ORM work. SQLite: multi-row INSERTs, prepared once per
 * batch size, in the import's one transaction. PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per table and
 * batch — a single statement carrying thousands of rows, as fast here as COPY without a second protocol.
 */
@Injectable()
export class CountryLoadRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Rows per batch: SQLite's limit of 32,766 parameters a statement bounds the widest table (16 columns). */
  get batchSize(): number {
    return this.db.dialect === 'sqlite' ? 1_000 : 5_000;
  }

  /**
   * The load's one transaction. SQLite: with a page cache large enough for the indexes being filled (the default 2 MiB
   * spills them to the journal over and over in a transaction this large), set back afterwards.
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.db.dialect !== 'sqlite') return this.db.transaction(work);
    return this.db.transaction(async (tx) => {
      const [{ cache_size: before }] = await tx.query<{ cache_size: number }>('PRAGMA cache_size');
      await tx.run(`PRAGMA cache_size = -${BULK_CACHE_KIB}`);
      try {
        return await work(tx);
      } finally {
        await tx.run(`PRAGMA cache_size = ${Number(before)}`);
      }
    });
  }

  /** Units of the database among these ids (with what a child needs of its parent). */
  async existing(tx: Tx, ids: readonly string[]): Promise<Map<string, ExistingUnit>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT u.id, u.depth, ${LEVELS.map((l) => `u.${l}`).join(', ')}, a.launched_at FROM units u LEFT JOIN unit_activity a ON a.unit_id = u.id WHERE u.id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
    return new Map(
      rows.map((r) => [
        r.id as string,
        {
          id: r.id as string,
          depth: Number(r.depth),
          ancestors: LEVELS.map((l) => (r[l] as string | null) ?? null),
          launchedAt: r.launched_at == null ? null : Number(r.launched_at),
        },
      ]),
    );
  }

  async insert(tx: Tx, rows: LoadRow[]): Promise<void> {
    if (rows.length === 0) return;
    for (const [table, columns] of Object.entries(TABLES)) {
      const names = columns.map((c) => c[0]).join(', ');
      if (tx.dialect === 'postgres') {
        const arrays = columns.map(([, , value]) => rows.map(value));
        await tx.run(
          `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${columns.map(([, type]) => `?::${type}[]`).join(', ')})`,
          arrays as unknown as SqlParam[],
        );
      } else {
        const row = `(${columns.map(() => '?').join(', ')})`;
        const params: SqlParam[] = [];
        for (const r of rows) for (const [, , value] of columns) params.push(value(r));
        await tx.run(`INSERT INTO ${table} (${names}) VALUES ${rows.map(() => row).join(', ')}`, params);
      }
    }
  }

  /** The subtrees above the loaded units gain them: `added` units each, all registered (one statement per subtree). */
  async addRegistered(tx: Tx, added: Map<string, number>): Promise<void> {
    // PostgreSQL: as deltas, like every other writer (the background fold is the only one updating rollup rows there)
    const sql =
      tx.dialect === 'postgres'
        ? 'INSERT INTO rollup_deltas (units, registered, unit_id) VALUES (?, ?, ?)'
        : 'UPDATE rollups SET units = units + ?, registered = registered + ? WHERE unit_id = ?';
    for (const [unitId, n] of added) await tx.run(sql, [n, n, unitId]);
  }
}
