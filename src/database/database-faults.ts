import { ApiErrorCode } from '../common/results/api-error-code.js';

/** What a client is told when the database, not its request, is why a command or a read failed. */
export type DatabaseFault = ApiErrorCode.UNAVAILABLE | ApiErrorCode.STORAGE_FULL;

export const FAULT_MESSAGES: Record<DatabaseFault, string> = {
  [ApiErrorCode.UNAVAILABLE]:
    'The database is not answering right now: send the request again in a moment (with the same idempotency key for a write).',
  [ApiErrorCode.STORAGE_FULL]:
    'The database has no room left for writes: nothing of this one was stored. Reads keep working; send it again once space is freed.',
};

/** Node's socket errors on the way to PostgreSQL. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is going away or cannot take us now: connection exceptions (08…), shutdowns, too many clients. */
const PG_STATES = /^(08...|57P0[1-3]|53300|53400)$/;
/** pg's own words when a client's socket is gone, or the pool waited too long for one. */
const PG_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

interface Wrapped {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    chain.push(current);
    const w = current as Wrapped;
    current = w.driverError ?? w.originalError ?? w.cause;
  }
  return chain;
}

/**
 * Whether an error thrown by the database driver (possibly wrapped by TypeORM or GraphQL) means that the database is
 * unreachable or full, rather than a fault of this code or of the request. Anything else answers null.
 */
export function databaseFault(error: unknown): DatabaseFault | null {
  for (const e of causes(error)) {
    const { code, message } = e as Wrapped;
    if (code === 'SQLITE_FULL') return ApiErrorCode.STORAGE_FULL;
    if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_IOERR')))
      return ApiErrorCode.UNAVAILABLE;
    if (typeof code === 'string' && (NETWORK.has(code) || PG_STATES.test(code))) return ApiErrorCode.UNAVAILABLE;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return ApiErrorCode.UNAVAILABLE;
  }
  return null;
}
