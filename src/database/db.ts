import type { Database } from 'better-sqlite3';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { ApiErrorCode } from '../common/results/api-error-code.js';
import { databaseFault } from './database-faults.js';
import { PgSession, pgStatement, SqliteSession } from './sessions.js';
import { readConnectionBeside } from './sqlite-memory.js';

export type Dialect = 'sqlite' | 'postgres';

interface WriteJob {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many works share one SQLite transaction (bounds the latency of the first one). */
const MAX_GROUP = 64;
export type SqlParam = string | number | null;

/** What a repository sees inside a transaction. SQL is written with `?` placeholders for both dialects. */
export interface Tx {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** The same, each row an array of its columns in the SELECT's order (no object per row: for reads of many rows). */
  queryArrays(sql: string, params?: SqlParam[]): Promise<unknown[][]>;
  /** For INSERT/UPDATE/DELETE: the number of rows changed. */
  run(sql: string, params?: SqlParam[]): Promise<number>;
  /** Runs `callback` once this work's writes are committed; never if they are rolled back. */
  afterCommit(callback: () => void): void;
  /** PostgreSQL only: `COPY … FROM STDIN` with `data` in COPY's text format (bulk loads). */
  copyIn?(sql: string, data: string): Promise<void>;
}

/** Runs the callbacks of committed work: one that throws does not stop the others (the commit stands). */
function runCommitted(callbacks: (() => void)[]): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

// int8 (bigint) columns hold epoch milliseconds and counts: well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

/** Pools whose new connections already get an error listener (a Db per DataSource may share one pool). */
const heard = new WeakSet<pg.Pool>();

/**
 * Every new pooled connection gets an error listener of its own, for as long as it lives. pg-pool takes its listener
 * off a connection when it hands it out, and the borrower adds one only once its `await` resumes; a new connection's
 * first chunk from the server can hold both "ready" and a FATAL message (PostgreSQL ending the backend right as it
 * starts): the error is then emitted in between, unheard, and ends the process. Heard here it changes nothing else:
 * the connection is not queryable after it, so the borrower's next statement fails and the connection is dropped.
 */
function hearErrorsOfNewClients(pool: pg.Pool): void {
  if (heard.has(pool)) return;
  heard.add(pool);
  pool.on('connect', (client) => client.on('error', () => undefined));
}

/**
 * The hot path's access to the database, beside TypeORM (which owns connections and migrations).
 * Prepared statements on both dialects; one serialized write path on SQLite (TypeORM's better-sqlite3 driver shares
 * one connection, so two transactions started together would fail), and a separate read-only connection so that a
 * reader never sees another request's uncommitted writes on that shared connection.
 */
export class Db {
  readonly dialect: Dialect;
  /** Statements sent, for tests that prove batching (O(1) statements per page). */
  statementCount = 0;
  private readonly pending: WriteJob[] = [];
  private flushing = false;
  private readonly writer: SqliteSession | null = null;
  private readonly reader: SqliteSession | null = null;
  private readonly pool: pg.Pool | null = null;

  constructor(readonly dataSource: DataSource) {
    if (dataSource.options.type === 'better-sqlite3') {
      this.dialect = 'sqlite';
      const connection = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
      this.writer = new SqliteSession(connection, this);
      const path = dataSource.options.database;
      this.reader = path === ':memory:' ? this.writer : new SqliteSession(readConnectionBeside(connection, path), this);
    } else if (dataSource.options.type === 'postgres') {
      this.dialect = 'postgres';
      this.pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
      hearErrorsOfNewClients(this.pool);
    } else {
      throw new Error(`unsupported database type ${dataSource.options.type}`);
    }
  }

  /** A read outside any transaction: sees only committed data. */
  async query<T = Record<string, unknown>>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    if (this.reader) return this.reader.query<T>(sql, params);
    this.statementCount++;
    const result = await this.pool!.query(pgStatement(sql, params));
    return result.rows as T[];
  }

  /**
   * Runs `work` atomically: its writes are committed if it resolves, rolled back if it throws.
   * SQLite: serialized, with group commit. The works queued while the writer is busy run one after another inside
   * one `BEGIN IMMEDIATE … COMMIT`, each in its own SAVEPOINT (a work that throws rolls back only its own writes),
   * and none settles before the COMMIT: an answer is never given for a write that is not durable, but several
   * writes share one fsync (synchronous=FULL) instead of paying one each.
   * PostgreSQL: a pooled client, READ COMMITTED; callers take row locks (`FOR UPDATE`) where they need them.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.writer) {
      return new Promise<T>((resolve, reject) => {
        this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!this.flushing) {
          this.flushing = true;
          // after the I/O callbacks of this turn of the event loop: the requests that arrived together share a commit
          setImmediate(() => void this.flush());
        }
      });
    }
    return this.pgTransaction(work);
  }

  /** SQLite: runs the queued works in groups until the queue is empty (see `transaction`). */
  private async flush(): Promise<void> {
    const writer = this.writer!;
    try {
      while (this.pending.length > 0) {
        try {
          writer.exec('BEGIN IMMEDIATE');
        } catch (error) {
          // the write lock is held elsewhere past busy_timeout: the first work fails, as it would on its own
          this.pending.shift()!.reject(error);
          continue;
        }
        // every work of the group settles after the COMMIT (or the rollback), its failure included
        const settled: { job: WriteJob; ok: boolean; value: unknown; committed: (() => void)[] }[] = [];
        let lost: unknown = null;
        try {
          while (this.pending.length > 0 && settled.length < MAX_GROUP && lost === null) {
            const job = this.pending.shift()!;
            const committed: (() => void)[] = [];
            writer.committed = committed;
            try {
              writer.exec('SAVEPOINT work');
              const value = await job.work(writer);
              writer.exec('RELEASE work');
              settled.push({ job, ok: true, value, committed });
            } catch (error) {
              settled.push({ job, ok: false, value: error, committed: [] });
              if (!writer.inTransaction) {
                lost = error; // SQLite rolled the whole transaction back (I/O error, disk full): the group is lost
              } else {
                writer.exec('ROLLBACK TO work');
                writer.exec('RELEASE work');
              }
            }
          }
          if (lost === null) writer.exec('COMMIT');
        } catch (error) {
          lost ??= error;
        }
        if (lost !== null && writer.inTransaction) {
          try {
            writer.exec('ROLLBACK');
          } catch {
            // nothing more to undo: the answers below say the group failed
          }
        }
        writer.committed = null;
        for (const { job, ok, value, committed } of settled) {
          if (ok && lost === null) {
            runCommitted(committed);
            job.resolve(value);
          } else job.reject(ok ? lost : value);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async pgTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool!.connect();
    const tx = new PgSession(client, this);
    let broken: Error | undefined;
    // the socket failing between two statements is emitted on the client, which the pool does not listen to while it
    // is checked out: unheard, that event would end the process. The next statement fails, and this client is dropped.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      runCommitted(tx.committed);
      return result;
    } catch (error) {
      // a connection that failed (PostgreSQL restarted, the network cut) is not handed to the next command
      if (databaseFault(error) === ApiErrorCode.UNAVAILABLE) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.reader && this.reader !== this.writer) this.reader.close();
  }
}
