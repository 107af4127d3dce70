import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { boundedStack, errorForLog } from './error-log.js';
import { jsonForLog, truncateForLog } from './log-text.js';

/** Fastify's own `req` serializer, with the URL (the client's, query string included) cut. */
function requestForLog(request: { method?: string; url?: string; ip?: string; socket?: { remotePort?: number } }) {
  return {
    method: request.method,
    url: truncateForLog(String(request.url ?? '')),
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const stringForLog = (value: unknown) => truncateForLog(String(value));

/**
 * Every argument of a log call, bounded: message strings cut, and an Error logged alone turned into `{ err }` with
 * its cut message (pino would otherwise take the whole message as the line's `msg`).
 */
function boundedArguments(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  const bounded = rest.map((arg) => (typeof arg === 'string' ? truncateForLog(arg) : arg));
  if (first instanceof Error)
    return [{ err: first }, bounded.length > 0 ? bounded[0] : truncateForLog(first.message), ...bounded.slice(1)];
  if (typeof first === 'string') return [truncateForLog(first), ...bounded];
  const err = (first as { err?: unknown; msg?: unknown } | null)?.err;
  if (err instanceof Error && bounded.length === 0 && (first as { msg?: unknown }).msg === undefined)
    return [first, truncateForLog(err.message)];
  return [first, ...bounded];
}

const LOG_OPTIONS: LoggerOptions = {
  base: { service: 'lookback' },
  timestamp: pino.stdTimeFunctions.isoTime,
  // children (Fastify's per-request loggers) keep these: Fastify merges ours over its own
  serializers: {
    err: errorForLog,
    req: requestForLog,
    operationName: stringForLog,
    query: stringForLog,
    variables: (value: unknown) => jsonForLog(value),
  },
  hooks: {
    logMethod(args, method) {
      return method.apply(this, boundedArguments(args) as Parameters<typeof method>);
    },
  },
};

/**
 * Structured JSON logs (pino) for Nest and Fastify alike, on stdout: one line per entry, whatever the client sent.
 * Written through process.stdout (synchronous for files and pipes, as pino's own destination) so a test can count it.
 */
export function createPino(level: string, destination: DestinationStream = process.stdout): Logger {
  return pino({ ...LOG_OPTIONS, level }, destination);
}

/** Nest's logger interface over pino: an Error is logged as `err` (one stack), a Nest `trace` string cut like one. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string) {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    if (message instanceof Error) this.pino.error({ context, err: message });
    else
      this.pino.error({ context, trace: typeof trace === 'string' ? boundedStack(trace) : undefined }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}
