import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from '../../src/auth/jwt.js';
import type { Principal } from '../../src/auth/principal.js';
import type { GraphQLResponse } from './test-app.js';
import { ADMIN } from './test-app.js';
import { TEST_DATABASE_URL, TEST_ON_POSTGRES } from './test-database.js';

/**
 * A Lookback instance in a process of its own, as an operator runs it (`node dist/src/main.js`, NODE_ENV=production):
 * for the tests that signal it (SIGTERM) or kill it (-9) and start another on the same database.
 */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INSTANCE_JWT_SECRET = 'instance-test-jwt-secret-0123456789abcdef';
export const INSTANCE_AUDIT_KEY = 'instance-test-audit-key-0123456789abcdef';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ if a source is newer (scripts/ensure-built.mjs), one test file at a time (Jest runs files in parallel). */
export function ensureBuilt(): void {
  const lock = join(tmpdir(), `lookback-build-lock-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run is stale after five minutes
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      sleep(100);
    }
  }
  try {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

/** A database URL of the suite's kind for an instance process: a file in `dir`, or a PostgreSQL schema. */
export function instanceDatabaseUrl(dir: string, schema: string): string {
  if (!TEST_ON_POSTGRES) return `sqlite:${join(dir, 'lookback.db')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/**
 * The database a suite's instance processes share, made before the suite (dist/ built first) and dropped after it:
 * a temp SQLite file, or (npm run test:pg) a fresh PostgreSQL schema.
 */
export function useInstanceDatabase(name: string): { readonly url: string } {
  const schema = `t_${name}_${randomBytes(4).toString('hex')}`;
  let dir = '';
  const database = { url: '' };
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), `lookback-${name}-`));
    database.url = instanceDatabaseUrl(dir, schema);
  }, 300_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!TEST_ON_POSTGRES) return;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  return database;
}

export interface InstanceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface InstanceProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has ended, with its exit code or the signal that ended it. */
  exited: Promise<InstanceExit>;
  /** What it wrote so far (stdout then stderr lines as they came). */
  output(): string;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: Principal,
  ): Promise<{ status: number; body: GraphQLResponse<T> }>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<InstanceExit>;
}

export interface InstanceOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** how long to wait for the banner (a build and migrations may come first) */
  startTimeoutMs?: number;
}

/** Starts `node dist/src/main.js` on a free port and resolves once it serves (its banner names the URL). */
export function spawnInstance(options: InstanceOptions): Promise<InstanceProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOOKBACK_JWT_SECRET: INSTANCE_JWT_SECRET,
      LOOKBACK_AUDIT_KEY: INSTANCE_AUDIT_KEY,
      LOOKBACK_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<InstanceExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise<InstanceProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the instance did not start in time:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the instance exited (${exit.code ?? exit.signal}) before serving:\n${output}`));
    });
    const watch = (text: string) => {
      const match = /serving GraphQL at (http:\/\/[^/\s]+)\/graphql/.exec(output + text);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', watch);
      const url = match[1];
      resolve({
        url,
        pid: child.pid!,
        child,
        exited,
        output: () => output,
        gql: (query, variables, as = ADMIN) => post(url, query, variables, as),
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          return exited;
        },
      });
    };
    child.stdout!.on('data', watch);
  });
}

/** One GraphQL request to an instance; a connection refused or reset is answered as status 0. */
export async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  as: Principal = ADMIN,
): Promise<{ status: number; body: GraphQLResponse<T> }> {
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${signToken(as, INSTANCE_JWT_SECRET)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as GraphQLResponse<T> };
  } catch (error) {
    // fetch's own message is "fetch failed": the socket's error is the cause (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…)
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = `${(error as Error).message}: ${cause?.code ?? ''} ${cause?.message ?? ''}`;
    return {
      status: 0,
      body: { errors: [{ message, extensions: { code: 'CONNECTION_FAILED', cause: cause?.code } }] },
    };
  }
}
