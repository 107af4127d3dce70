import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ApiErrorCode, apiErrorJson } from '../common/results/api-error-code.js';
import { Readiness } from './readiness.js';

const SHUTTING_DOWN = apiErrorJson(
  ApiErrorCode.UNAVAILABLE,
  'This instance is shutting down: send the request again (another instance will answer it).',
);

/**
 * An instance that is told to stop (SIGTERM) takes no new request — each is answered 503 with a typed, retryable
 * error and `Connection: close`, health checks included, so the balancer moves on — while the requests already in
 * flight run to their end: a command answered before the database closes is committed (SQLite's open group commit
 * included, as no command is answered before its COMMIT).
 */
@Injectable()
export class Draining {
  private draining = false;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(@Inject(Readiness) readiness: Readiness) {
    // /health/ready shows the requests in flight (itself included)
    readiness.register({ name: 'requests', check: async () => ({ inFlight: this.inFlight }) });
  }

  get active(): boolean {
    return this.draining;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Counts requests and refuses new ones once draining (the first hook of every request). */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.draining) {
        reply
          .code(503)
          .header('connection', 'close')
          .header('retry-after', '1')
          .send({ data: null, errors: [SHUTTING_DOWN] });
        return;
      }
      this.inFlight++;
      // 'close' comes for every response, finished or aborted by the client
      reply.raw.once('close', () => this.finished());
      done();
    });
    // while draining, every answer (those in flight too) closes its connection: a client does not send its next
    // request on a kept-alive connection that the server is about to close
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if (this.draining) reply.header('connection', 'close');
      done(null, payload);
    });
  }

  /** Stops taking requests; resolves once those in flight have been answered, or after `graceMs` (false then). */
  drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      timer.unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private finished(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.draining) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
