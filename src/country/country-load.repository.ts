import { Inject, Injectable } from '@nestjs/common';
import { Db, type SqlParam, type Tx } from '../database/db.js';
import { copyText, LOAD_TABLES, LEVELS, type LoadRow } from './load-tables.js';

export type { LoadRow } from './load-tables.js';

export interface ExistingUnit {
  id: string;
  depth: number;
  ancestors: (string | null)[];
  launchedAt: number | null;
}

/** A secondary index set aside for the load: its name and the statement that builds it again. */
export interface DeferredIndex {
  name: string;
  definition: string;
}

/** SQLite's page cache during a load, in KiB. */
const BULK_CACHE_KIB = 64 * 1024;
/**
 * SQLite's page cache while the indexes set aside are built, in KiB: SQLite's default. Measured at 1,000,000 units,
 * alternated: the 16 indexes took 22–28 s with it against 34–35 s with the load's 64 MiB (and 51 s with 256 MiB).
 */
const INDEX_BUILD_CACHE_KIB = 2 * 1024;
/** The tables a load writes: their secondary indexes may be built once after it instead of row by row. */
const TABLE_NAMES = Object.keys(LOAD_TABLES);

/**
 * The bulk load of a unit tree (npm run import): no per-row ORM work. SQLite: multi-row INSERTs, each prepared once
 * and reused for every full batch, in the import's one transaction. PostgreSQL: `COPY … FROM STDIN` per table and
 * batch. Secondary indexes can be dropped before and built again after the load, in the same transaction.
 */
@Injectable()
export class CountryLoadRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Rows per batch: SQLite's limit of 32,766 parameters a statement bounds the widest table (16 columns). */
  get batchSize(): number {
    return this.db.dialect === 'sqlite' ? 1_000 : 10_000;
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

  async unitCount(tx: Tx): Promise<number> {
    return Number((await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM units'))[0].n);
  }

  /**
   * Drops the secondary indexes of the tables a load writes (primary keys and unique constraints stay: they check
   * duplicates and find parents) and returns how to build them again. Inside the load's transaction: a rollback
   * brings them back as they were.
   */
  async dropSecondaryIndexes(tx: Tx): Promise<DeferredIndex[]> {
    const tables = TABLE_NAMES.map(() => '?').join(', ');
    const indexes =
      tx.dialect === 'sqlite'
        ? await tx.query<DeferredIndex>(
            `SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) ORDER BY name`,
            TABLE_NAMES,
          )
        : await tx.query<DeferredIndex>(
            `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename IN (${tables}) ` +
              `AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) ORDER BY i.indexname`,
            TABLE_NAMES,
          );
    for (const index of indexes) await tx.run(`DROP INDEX "${index.name}"`);
    return indexes;
  }

  /**
   * Builds the indexes set aside by dropSecondaryIndexes: on PostgreSQL with more sort memory for this transaction, on
   * SQLite with a smaller page cache than the load's (faster, see INDEX_BUILD_CACHE_KIB; `transaction` sets the
   * cache back afterwards).
   */
  async createIndexes(tx: Tx, indexes: DeferredIndex[]): Promise<void> {
    if (tx.dialect === 'postgres' && indexes.length) await tx.run("SET LOCAL maintenance_work_mem = '256MB'");
    if (tx.dialect === 'sqlite') await tx.run(`PRAGMA cache_size = -${INDEX_BUILD_CACHE_KIB}`);
    for (const index of indexes) await tx.run(index.definition);
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
    for (const [table, columns] of Object.entries(LOAD_TABLES)) {
      const names = columns.map((c) => c[0]).join(', ');
      if (tx.copyIn) {
        await tx.copyIn(`COPY ${table} (${names}) FROM STDIN`, copyText(columns, rows));
      } else {
        const row = `(${columns.map(() => '?').join(', ')})`;
        const params: SqlParam[] = new Array(rows.length * columns.length);
        let i = 0;
        for (const r of rows) for (const [, value] of columns) params[i++] = value(r);
        await tx.run(`INSERT INTO ${table} (${names}) VALUES ${rows.map(() => row).join(', ')}`, params);
      }
    }
  }

  /** The subtrees above the loaded units gain them: `added` units each, all registered. */
  async addRegistered(tx: Tx, added: Map<string, number>): Promise<void> {
    if (tx.dialect === 'postgres') {
      // as deltas, like every other writer (the background fold is the only one updating rollup rows there)
      const entries = [...added];
      for (let i = 0; i < entries.length; i += 10_000) {
        const batch = entries.slice(i, i + 10_000);
        const counts = batch.map(([, n]) => n);
        await tx.run(
          'INSERT INTO rollup_deltas (unit_id, units, registered) SELECT * FROM unnest(?::varchar[], ?::int[], ?::int[])',
          [batch.map(([id]) => id), counts, counts] as unknown as SqlParam[],
        );
      }
      return;
    }
    for (const [unitId, n] of added)
      await tx.run('UPDATE rollups SET units = units + ?, registered = registered + ? WHERE unit_id = ?', [
        n,
        n,
        unitId,
      ]);
  }
}
