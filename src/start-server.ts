import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './bootstrap.js';
import { loadDemoAtStart } from './demo/demo-seed.js';
import { Draining } from './health/draining.js';
import { APP_CONFIG } from './config/config.tokens.js';

/** Where `npm start` talks to the person who started it (the logs are JSON lines on stdout, apart). */
export interface StartIo {
  out(line: string): void;
  err(line: string): void;
}

export const EXIT_CONFIGURATION = 2;
export const EXIT_FAILED = 1;

/** The configuration, or null once the mistake has been explained in one sentence (no stack: nothing to debug). */
export function configOrExplain(env: NodeJS.ProcessEnv, io: StartIo): AppConfig | null {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`lookback: configuration error: ${error.message}`);
    return null;
  }
}

function banner(config: AppConfig, url: string): string[] {
  return [
    `Lookback is serving GraphQL at ${url}/graphql (health: ${url}/health) on ${config.database.type}`,
    `Every request needs a bearer token. An admin token for the whole tree, valid 12 hours:\n` +
      `  npm run --silent token -- --role ADMIN --sub you\n` +
      `then send it as "Authorization: Bearer <token>"` +
      (config.jwtSecretIsDevDefault
        ? ' (signed with the development secret: set LOOKBACK_JWT_SECRET for real use).'
        : '.'),
  ];
}

/**
 * `npm start`: configuration, application (migrations at boot), the demo province outside production, listening.
 * Answers the listening application, or the exit code when it cannot start.
 */
export async function startServer(env: NodeJS.ProcessEnv, io: StartIo): Promise<NestFastifyApplication | number> {
  const config = configOrExplain(env, io);
  if (config === null) return EXIT_CONFIGURATION;
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config);
    // the modules' init hooks first (e.g. the listeners that keep rollups), so that the demo units get them too
    await app.init();
    const demo = await loadDemoAtStart(app, config);
    await app.listen({ port: config.port, host: config.host });
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    for (const line of [demo, ...banner(config, url)]) io.out(line);
    return app;
  } catch (error) {
    io.err(`lookback: failed to start: ${(error as Error).message}`);
    // the reason it did not start is the one to report: a second failure while closing would only hide it
    await app?.close().catch(() => undefined);
    return EXIT_FAILED;
  }
}

/**
 * SIGTERM (or SIGINT, Ctrl-C): take no new request (503, typed UNAVAILABLE), let those in flight finish and commit,
 * close the database, exit 0. Past LOOKBACK_SHUTDOWN_GRACE_SECONDS it closes anyway and exits 1; a second signal
 * stops at once (exit 1).
 */
export function stopOnSignals(
  app: NestFastifyApplication,
  io: StartIo,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      io.err(`lookback: ${signal} again: stopping now, without waiting for the requests in flight`);
      exit(EXIT_FAILED);
      return;
    }
    stopping = true;
    const draining = app.get(Draining);
    io.out(`lookback: ${signal}: taking no new requests, finishing the ${draining.requestsInFlight} in flight`);
    const drained = await draining.drain(config.shutdownGraceSeconds * 1000);
    if (!drained)
      io.err(
        `lookback: ${draining.requestsInFlight} requests still in flight after ${config.shutdownGraceSeconds} s: closing anyway`,
      );
    try {
      await app.close();
    } catch (error) {
      io.err(`lookback: closing failed: ${(error as Error).message}`);
      exit(EXIT_FAILED);
      return;
    }
    io.out('lookback: stopped: every answered command is committed and the database is closed');
    exit(drained ? 0 : EXIT_FAILED);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s: NodeJS.Signals) => void stop(s));
}
