import { Logger } from '@nestjs/common';
import pg from 'pg';
import { createHash } from 'node:crypto';
import type { UnitChange } from './change-feed.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * The NOTIFY channel of one database (and schema: instances on other schemas of the same database do not hear
 * each other). At most 63 bytes, PostgreSQL's identifier length.
 */
export function liveChannel(schema: string | null): string {
  const name = schema ? `lookback_live_${schema}` : 'lookback_live';
  return Buffer.byteLength(name) <= 63
    ? name
    : `lookback_live_${createHash('sha1').update(name).digest('hex').slice(0, 32)}`;
}

/**
 * The one LISTEN connection of an instance: every change committed by any instance on the database arrives here
 * (NOTIFY is sent inside the command's transaction, so PostgreSQL delivers it at commit, never for a rollback, in
 * commit order). When the connection drops it reconnects (100 ms, doubling to 5 s), and `resynced` runs after
 * each reconnection so that what was committed in between is not missed. `/health/ready` reports it.
 */
export class PgChangeListener {
  private readonly logger = new Logger('LiveUpdates');
  private client: pg.Client | null = null;
  private connected = false;
  private everConnected = false;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private lastProblem = 'not connected yet';

  constructor(
    private readonly url: string,
    readonly channel: string,
    private readonly receive: (change: UnitChange) => void,
    private readonly resynced: () => Promise<void>,
  ) {}

  /** Connects (without failing the boot: a database that does not answer yet is retried, and readiness says so). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  /** For /health/ready: the channel when listening; throws a sentence when not. */
  async readiness(): Promise<Record<string, unknown>> {
    if (!this.connected) throw new Error(`the LISTEN connection of live updates is down: ${this.lastProblem}`);
    return { channel: this.channel };
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    let lost = false;
    const onLost = (problem: string) => {
      if (lost) return;
      lost = true;
      this.lost(client, problem);
    };
    client.on('error', (error) => onLost(error.message));
    client.on('end', () => onLost('the connection ended'));
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      try {
        this.receive(JSON.parse(message.payload) as UnitChange);
      } catch (error) {
        this.logger.error(`a live update could not be delivered: ${(error as Error).message}`);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      onLost((error as Error).message);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connected = true;
    this.retryMs = FIRST_RETRY_MS;
    if (this.everConnected) {
      this.logger.log(`the LISTEN connection is back on ${this.channel}`);
      await this.resynced().catch((error: Error) =>
        this.logger.error(`live updates could not catch up after reconnecting: ${error.message}`),
      );
    }
    this.everConnected = true;
  }

  private lost(client: pg.Client, problem: string): void {
    this.lastProblem = problem;
    if (this.client === client) {
      this.client = null;
      this.connected = false;
      this.logger.warn(`the LISTEN connection of live updates was lost (${problem}): reconnecting`);
    }
    client.end().catch(() => undefined);
    if (this.stopped || this.timer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, wait);
    this.timer.unref();
  }
}
