import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client (protocol graphql-transport-ws) on the app's /graphql, as the dashboards use it. */
export interface LiveClient {
  client: Client;
  /** close codes of the connection, in order */
  closes: number[];
  dispose(): Promise<void>;
}

export function liveClient(baseUrl: string, connectionParams: Record<string, unknown>): LiveClient {
  const closes: number[] = [];
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push((event as { code: number }).code) },
  });
  return { client, closes, dispose: () => client.dispose() as Promise<void> };
}

/** One subscription's messages as they arrive; `next()` waits for the next one. */
export class LiveStream<T = Record<string, any>> {
  readonly values: T[] = [];
  error: unknown = null;
  completed = false;
  private readonly waiters: (() => void)[] = [];
  private taken = 0;
  readonly stop: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    const wake = () => this.waiters.splice(0).forEach((w) => w());
    this.stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) this.error = value.errors;
          else this.values.push(value.data as T);
          wake();
        },
        error: (error) => {
          this.error = error;
          wake();
        },
        complete: () => {
          this.completed = true;
          wake();
        },
      },
    );
  }

  /** The next value not taken yet; throws if the stream failed or ended first. */
  async next(): Promise<T> {
    while (this.values.length <= this.taken) {
      if (this.error) throw new Error(`the subscription failed: ${describe(this.error)}`);
      if (this.completed) throw new Error('the subscription completed');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.values[this.taken++];
  }

  /** Waits until the stream fails (or completes): the error. */
  async failure(): Promise<unknown> {
    while (!this.error && !this.completed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.error;
  }
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return JSON.stringify(error);
  if (error && typeof error === 'object' && 'code' in error)
    return `closed ${(error as { code: number; reason?: string }).code} ${(error as { reason?: string }).reason ?? ''}`;
  return String(error);
}

export const UNIT_CHANGED =
  'subscription($id: ID!) { unitChanged(unitId: $id) { unitId phase activeStates version rulebookVersion } }';

/** Waits until `condition` holds (checked every few milliseconds, at most `limitMs`): for state the test cannot await. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  limitMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
