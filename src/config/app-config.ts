import { ConfigError } from './config-error.js';
import { edgeSettings, type EdgeSettings } from './edge-settings.js';
import { resolve } from 'node:path';

export type DatabaseConfig =
  /** `createFolder`: only the default `data/` folder is made for the user; any other path's folder must exist */
  | {
      type: 'sqlite';
      path: string;
      createFolder?: boolean;
      /** each connection's page cache (LOOKBACK_SQLITE_CACHE_MIB; SQLite's own default is 2 MiB) */
      cacheMiB?: number;
      /** the file read through memory mapping up to this size (LOOKBACK_SQLITE_MMAP_MIB; 0: plain reads) */
      mmapMiB?: number;
    }
  | { type: 'postgres'; url: string; schema: string | null; poolSize: number };

export interface AppConfig {
  port: number;
  host: string;
  production: boolean;
  database: DatabaseConfig;
  /**
   * Signs and checks bearer tokens. Production requires one of at least MIN_KEY_BYTES bytes; elsewhere an unset
   * secret falls back to DEV_JWT_SECRET.
   */
  jwtSecret: string;
  jwtSecretIsDevDefault: boolean;
  /**
   * HMAC key of audit checkpoints (LOOKBACK_AUDIT_KEY), with the same rules as jwtSecret (fallback DEV_AUDIT_KEY).
   * loadConfig never leaves it null; the type allows null for services built without one.
   */
  auditKey: string | null;
  /** A signed checkpoint every N minutes (0: only on demand). */
  checkpointEveryMinutes: number;
  timeTravel: boolean;
  /** Load the demo province into a new database: never in production, and not with LOOKBACK_NO_DEMO=1. */
  seedDemo: boolean;
  logLevel: string;
  graphql: { maxDepth: number; maxAliases: number; maxFields: number; maxCost: number };
  /** The GraphQL edge's limits before a document is parsed (tokens, anonymous callers, new documents). */
  edge: EdgeSettings;
  /** Requests a principal may make per minute to one operation (0: no limit). */
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** On SIGTERM, how long the requests in flight may take before the instance closes anyway (and exits 1). */
  shutdownGraceSeconds: number;
}

export { ConfigError };

/**
 * SQLite's page cache per connection, MiB, and the size of the file read through memory mapping (0: plain reads).
 * The defaults are SQLite's own: at 200,000 units a 64 MiB cache with 256 MiB mapped measured no different (the
 * file sits in the operating system's cache either way); an operator may raise them for a larger database.
 */
export const SQLITE_CACHE_MIB = 2;
export const SQLITE_MMAP_MIB = 0;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}.`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new ConfigError(`${name}=${env[name]} is not valid: use 1 or 0.`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: NodeJS.ProcessEnv): string {
  const raw = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(raw))
    throw new ConfigError(`LOG_LEVEL=${env.LOG_LEVEL} is not valid: use one of ${LOG_LEVELS.join(', ')}.`);
  return raw;
}

export function parseDatabaseUrl(raw: string | undefined, cwd = process.cwd()): DatabaseConfig {
  if (raw === undefined || raw.trim() === '')
    return { type: 'sqlite', path: resolve(cwd, 'data/lookback.db'), createFolder: true };
  const url = raw.trim();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError('DATABASE_URL=sqlite: needs a file path, e.g. sqlite:data/lookback.db');
    return { type: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid PostgreSQL URL: ${redact(url)}`);
    }
    const schema = parsed.searchParams.get('schema');
    if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(
        `DATABASE_URL schema=${schema} is not a valid schema name (lower-case letters, digits, _).`,
      );
    }
    parsed.searchParams.delete('schema');
    return { type: 'postgres', url: parsed.toString(), schema, poolSize: 10 };
  }
  const scheme = url.includes(':') ? url.slice(0, url.indexOf(':')) : url;
  throw new ConfigError(
    `DATABASE_URL uses an unsupported database "${scheme}": use sqlite:PATH, postgres://USER@HOST:PORT/DB, or leave it unset for data/lookback.db.`,
  );
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Shared by `npm start` and `npm run token` on a developer's machine; refused in production. */
export const DEV_JWT_SECRET = 'lookback-dev-secret-do-not-use-in-production';

export const DEV_AUDIT_KEY = 'lookback-dev-audit-key-do-not-use-in-production';

/** Both keys are HMAC-SHA256 keys: RFC 7518 §3.2 asks for at least as many bits as the hash gives, 256. */
export const MIN_KEY_BYTES = 32;

const RANDOM_KEY_HINT = 'e.g. `openssl rand -hex 32`';

/**
 * A key that production refuses to run without: set, at least MIN_KEY_BYTES bytes, and not the development default
 * (which is in the source for anyone to read). Outside production an unset key falls back to that default.
 */
function key(env: NodeJS.ProcessEnv, name: string, devDefault: string, production: boolean, purpose: string): string {
  const value = env[name]?.trim() || null;
  if (!production) return value ?? devDefault;
  if (value === null) throw new ConfigError(`${name} is required when NODE_ENV=production (${purpose}).`);
  if (value === devDefault) {
    throw new ConfigError(
      `${name} is the development default, which anyone can read in the source: set a random one when NODE_ENV=production (${RANDOM_KEY_HINT}).`,
    );
  }
  if (Buffer.byteLength(value, 'utf8') < MIN_KEY_BYTES) {
    throw new ConfigError(
      `${name} is shorter than ${MIN_KEY_BYTES} bytes: when NODE_ENV=production it must be at least ${MIN_KEY_BYTES} random bytes (${RANDOM_KEY_HINT}).`,
    );
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const timeTravel = flag(env, 'LOOKBACK_TIME_TRAVEL');
  if (production && timeTravel) {
    throw new ConfigError('LOOKBACK_TIME_TRAVEL=1 is refused when NODE_ENV=production: time travel is a test mode.');
  }
  const jwtSecret = key(
    env,
    'LOOKBACK_JWT_SECRET',
    DEV_JWT_SECRET,
    production,
    'the token command and the server must share it',
  );
  const auditKey = key(
    env,
    'LOOKBACK_AUDIT_KEY',
    DEV_AUDIT_KEY,
    production,
    'it signs and checks the audit checkpoints',
  );
  if (production && auditKey === jwtSecret) {
    throw new ConfigError(
      'LOOKBACK_AUDIT_KEY must differ from LOOKBACK_JWT_SECRET: whoever can issue tokens must not also be able to sign audit checkpoints.',
    );
  }
  // parsed in production too, so that a mistyped value is reported rather than ignored
  const noDemo = flag(env, 'LOOKBACK_NO_DEMO');
  const database = parseDatabaseUrl(env.DATABASE_URL);
  if (database.type === 'postgres') database.poolSize = integer(env, 'LOOKBACK_PG_POOL', 10, 1, 200);
  else {
    database.cacheMiB = integer(env, 'LOOKBACK_SQLITE_CACHE_MIB', SQLITE_CACHE_MIB, 1, 65536);
    database.mmapMiB = integer(env, 'LOOKBACK_SQLITE_MMAP_MIB', SQLITE_MMAP_MIB, 0, 1048576);
  }
  const rateLimitPerMinute = integer(env, 'LOOKBACK_RATE_LIMIT', 3000, 0, 10000000);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    production,
    database,
    jwtSecret,
    jwtSecretIsDevDefault: jwtSecret === DEV_JWT_SECRET,
    auditKey,
    checkpointEveryMinutes: integer(env, 'LOOKBACK_CHECKPOINT_MINUTES', 0, 0, 525600),
    timeTravel,
    seedDemo: !production && !noDemo,
    logLevel: logLevel(env),
    graphql: {
      maxDepth: integer(env, 'LOOKBACK_MAX_DEPTH', 15, 1, 100),
      maxAliases: integer(env, 'LOOKBACK_MAX_ALIASES', 50, 1, 10000),
      maxFields: integer(env, 'LOOKBACK_MAX_FIELDS', 1000, 1, 100000),
      maxCost: integer(env, 'LOOKBACK_MAX_COST', 50000, 1, 100000000),
    },
    rateLimitPerMinute,
    edge: edgeSettings(env, rateLimitPerMinute > 0),
    bodyLimitBytes: integer(env, 'LOOKBACK_BODY_LIMIT', 1048576, 1024, 104857600),
    shutdownGraceSeconds: integer(env, 'LOOKBACK_SHUTDOWN_GRACE_SECONDS', 25, 0, 3600),
  };
}
