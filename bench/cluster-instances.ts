/**
 * Lookback instances for `npm run bench:cluster`: `node dist/src/main.js` in child processes, as an operator runs
 * them (NODE_ENV=production) on one PostgreSQL schema; and the few clients the bench needs (GraphQL over HTTP, and
 * graphql-transport-ws subscribers with as little client work as possible, so that the bench measures the server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const JWT_SECRET = randomBytes(32).toString('hex');

export interface Instance {
  url: string;
  child: ChildProcess;
}

export function startInstance(databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOOKBACK_JWT_SECRET: JWT_SECRET,
      LOOKBACK_AUDIT_KEY: randomBytes(32).toString('hex'),
      LOOKBACK_RATE_LIMIT: '0',
      LOOKBACK_ANONYMOUS_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`an instance did not start within 90 s:\n${output}`)), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`an instance exited (${code}) before serving:\n${output}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const match = /serving GraphQL at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: match[1], child });
    });
  });
}

export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function gql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A graphql-transport-ws connection with one subscription; `onNext` gets each `next` message's payload. */
export interface Subscriber {
  socket: WebSocket;
  close(): void;
}

export function subscribe(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  onNext: (payload: unknown) => void,
): Promise<Subscriber> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        resolve({ socket, close: () => socket.close() });
      } else if (message.type === 'next') onNext(message.payload);
      else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
  });
}
