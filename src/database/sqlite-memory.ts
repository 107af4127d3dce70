import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

/** A connection's page cache and memory-mapped size (unset: SQLite's defaults, 2 MiB and none). */
export function sqliteMemory(connection: Database, cacheMiB?: number, mmapMiB?: number): void {
  if (cacheMiB !== undefined) connection.pragma(`cache_size = -${cacheMiB * 1024}`);
  if (mmapMiB !== undefined) connection.pragma(`mmap_size = ${mmapMiB * 1024 * 1024}`);
}

/** The read-only connection beside the writer, with the writer's page cache and memory-mapped size. */
export function readConnectionBeside(writer: Database, path: string): Database {
  const reader = new BetterSqlite3(path, { readonly: true, timeout: 10_000 });
  reader.pragma(`cache_size = ${Number(writer.pragma('cache_size', { simple: true }))}`);
  reader.pragma(`mmap_size = ${Number(writer.pragma('mmap_size', { simple: true }))}`);
  return reader;
}
