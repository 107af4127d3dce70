import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { edgeSettings } from '../../src/config/edge-settings.js';
import { Clock } from '../../src/clock/clock.js';
import { Db } from '../../src/database/db.js';
import { testDatabase } from './test-database.js';
import { signToken } from '../../src/auth/jwt.js';
import type { Principal } from '../../src/auth/principal.js';

export const ADMIN: Principal = { sub: 'admin', role: 'ADMIN', scopeUnitId: null };

/** A clock that tests move by hand. */
export class ManualClock extends Clock {
  constructor(private current = new Date('2014-03-01T01:00:00.000Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advanceDays(days: number): Date {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
    return this.now();
  }
  advanceMs(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
}

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  clock: ManualClock;
  db: Db;
  config: AppConfig;
  /** Sends a document as `as` (default: an admin of the whole tree). */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: Principal | null,
  ): Promise<GraphQLResponse<T>>;
  token(principal: Principal): string;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    production: false,
    database: { type: 'sqlite', path: ':memory:' },
    jwtSecret: 'test-secret',
    jwtSecretIsDevDefault: false,
    auditKey: 'test-audit-key',
    checkpointEveryMinutes: 0,
    timeTravel: false,
    seedDemo: false,
    logLevel: 'warn',
    graphql: { maxDepth: 15, maxAliases: 50, maxFields: 1000, maxCost: 50000 },
    rateLimitPerMinute: 0,
    // as loadConfig derives it: the budget of new documents follows the per-principal rate limit
    edge: edgeSettings({}, (overrides.rateLimitPerMinute ?? 0) > 0),
    bodyLimitBytes: 1048576,
    shutdownGraceSeconds: 25,
    ...overrides,
  };
}

/** Boots the real application on its own database and a real port (e2e tests over HTTP). */
export async function startTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const database = testDatabase();
  const config = testConfig({ database: database.config, ...overrides });
  const clock = new ManualClock();
  const app = await createApp(config, { clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    clock,
    config,
    db: app.get(Db),
    token: (principal) => signToken(principal, config.jwtSecret),
    async gql(query, variables, as = ADMIN) {
      const headers: Record<string, string> = as ? { authorization: `Bearer ${signToken(as, config.jwtSecret)}` } : {};
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<any>;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
