/**
 * A server of `npm run bench` in its own process (so that autocannon, in the parent, does not share its event loop):
 *   node dist/bench/bench-server.js service   DB_PATH JWT_SECRET   → the real service (createApp), default durability
 *   node dist/bench/bench-server.js reference DB_PATH UNIT_IDS_JSON → reference-server.ts
 * Reports `{ url }` over IPC once listening, and closes on the message 'stop'.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/app-config.js';
import { startReference } from './reference-server.js';

async function main(): Promise<void> {
  const [kind, path, arg] = process.argv.slice(2);
  if (!process.send) throw new Error('bench-server runs as a child of service.bench.js (IPC)');
  let url: string;
  let close: () => Promise<void>;
  if (kind === 'service') {
    // the configuration `npm run start:prod` builds from this environment (not the bench's own): production, no demo,
    // quiet logs; NODE_ENV=production is also in this process's environment (service.bench.ts), as libraries read it
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path}`,
      LOOKBACK_JWT_SECRET: arg,
      LOOKBACK_AUDIT_KEY: randomBytes(32).toString('hex'),
      LOOKBACK_NO_DEMO: '1',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    const app = await createApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    close = () => app.close();
  } else if (kind === 'reference') {
    const server = await startReference(path, JSON.parse(arg) as string[]);
    url = server.url;
    close = () => server.close();
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  process.on('message', (message) => {
    if (message === 'stop') {
      void close().then(() => process.exit(0));
    }
  });
  process.send({ url });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
