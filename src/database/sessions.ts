import type { Database, Statement } from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createHash } from 'node:crypto';
import type { SqlParam, Tx } from './db.js';

/** Where a session counts the statements it sends (`Db.statementCount`). */
interface StatementCounter {
  statementCount: number;
}

// The two kinds of `Tx` a `Db` hands out: a session on a better-sqlite3 connection (the serialized writer, or the
// read-only connection beside it) and one on a pooled PostgreSQL client, each with its prepared statements.

export class SqliteSession implements Tx {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  /** the callbacks of the work running now (the writer runs one work at a time); null outside a transaction */
  committed: (() => void)[] | null = null;

  constructor(
    private readonly connection: Database,
    private readonly db: StatementCounter,
  ) {}

  get inTransaction(): boolean {
    return this.connection.inTransaction;
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  exec(sql: string): void {
    this.connection.exec(sql);
  }

  afterCommit(callback: () => void): void {
    if (!this.committed) throw new Error('afterCommit outside a transaction');
    this.committed.push(callback);
  }

  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    this.db.statementCount++;
    return this.prepare(sql).all(...params) as T[];
  }

  async queryArrays(sql: string, params: SqlParam[] = []): Promise<unknown[][]> {
    this.db.statementCount++;
    const statement = this.prepare(sql);
    // the cached statement is shared with `query`: arrays for this call only
    statement.raw(true);
    try {
      return statement.all(...params) as unknown[][];
    } finally {
      statement.raw(false);
    }
  }

  async run(sql: string, params: SqlParam[] = []): Promise<number> {
    this.db.statementCount++;
    return this.prepare(sql).run(...params).changes;
  }

  close(): void {
    this.connection.close();
  }
}

export class PgSession implements Tx {
  readonly dialect = 'postgres' as const;
  readonly committed: (() => void)[] = [];
  constructor(
    private readonly client: pg.PoolClient,
    private readonly db: StatementCounter,
  ) {}

  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    this.db.statementCount++;
    return (await this.client.query(pgStatement(sql, params))).rows as T[];
  }

  async queryArrays(sql: string, params: SqlParam[] = []): Promise<unknown[][]> {
    this.db.statementCount++;
    return (await this.client.query({ ...pgStatement(sql, params), rowMode: 'array' })).rows as unknown[][];
  }

  async run(sql: string, params: SqlParam[] = []): Promise<number> {
    this.db.statementCount++;
    return (await this.client.query(pgStatement(sql, params))).rowCount ?? 0;
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }

  async copyIn(sql: string, data: string): Promise<void> {
    this.db.statementCount++;
    const stream = this.client.query(copyFrom(sql));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(data);
    });
  }
}

const pgTexts = new Map<string, { name: string; text: string }>();

/** `?` → `$n`, and a stable name so that each connection prepares the statement once. */
export function pgStatement(sql: string, values: SqlParam[]): pg.QueryConfig {
  let prepared = pgTexts.get(sql);
  if (!prepared) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    prepared = { name: 'q' + createHash('sha1').update(text).digest('hex').slice(0, 16), text };
    pgTexts.set(sql, prepared);
  }
  return { name: prepared.name, text: prepared.text, values };
}
