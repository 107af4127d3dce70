import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signToken } from '../src/auth/jwt.js';
import { DEV_JWT_SECRET } from '../src/config/app-config.js';
import { seedDemoIfEmpty } from '../src/demo/demo-seed.js';
import { startServer } from '../src/start-server.js';
import { UnitsRepository } from '../src/tree/units.repository.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { testDatabase, type TestDatabase } from './support/test-database.js';

describe('the demo province that npm start loads on a new database', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('instances starting together on a new database load it once between them', async () => {
    const other = await startTestApp();
    try {
      const loaded = await Promise.all([
        seedDemoIfEmpty(other.app),
        seedDemoIfEmpty(other.app),
        seedDemoIfEmpty(other.app),
      ]);
      expect(loaded.sort()).toEqual([0, 0, 99]);
      expect(await other.app.get(UnitsRepository).count()).toBe(99);
    } finally {
      await other.close();
    }
  });

  it("loads about a hundred units once, and answers the README's first query", async () => {
    expect(await seedDemoIfEmpty(sut.app)).toBe(99);
    expect(await seedDemoIfEmpty(sut.app)).toBe(0);
    const res = await sut.gql('{ units(first: 5) { edges { node { name kind } } } }');
    expect(res.data!.units.edges[0].node).toEqual({ name: '河北省委领导班子', kind: 'LEADERSHIP_BODY' });
    expect(res.data!.units.edges).toHaveLength(5);
    const kinds = await sut.db.query<{ kind: string; n: number }>(
      'SELECT kind, COUNT(*) AS n FROM units GROUP BY kind ORDER BY kind',
    );
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      DIRECT_UNIT: 12,
      GRASSROOTS: 60,
      LEADERSHIP_BODY: 7,
      NON_PUBLIC_SOCIAL: 4,
      TOWNSHIP_STREET: 12,
      WINDOW_SERVICE: 4,
    });
  });
});

/** The environment `npm start` would see, on a database of this test's own. */
function databaseUrl(database: TestDatabase): string {
  const config = database.config;
  if (config.type === 'sqlite') return `sqlite:${config.path}`;
  const url = new URL(config.url);
  url.searchParams.set('schema', config.schema!);
  return url.toString();
}

describe('npm start (startServer) and the demo province', () => {
  const KEYS = { LOOKBACK_JWT_SECRET: 's'.repeat(32), LOOKBACK_AUDIT_KEY: 'a'.repeat(32) };
  let database: TestDatabase;
  let app: NestFastifyApplication | null = null;
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const start = (env: NodeJS.ProcessEnv) =>
    startServer({ DATABASE_URL: databaseUrl(database), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env }, io);

  beforeEach(() => {
    database = testDatabase();
    out = [];
    err = [];
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await database.drop();
  });

  it('a new production database gets no demo province, and start-up says so', async () => {
    const started = await start({ NODE_ENV: 'production', ...KEYS });
    expect(typeof started).not.toBe('number');
    app = started as NestFastifyApplication;
    expect(err).toEqual([]);
    expect(out[0]).toBe('NODE_ENV=production: the demo province is never loaded.');
    expect(await app.get(UnitsRepository).count()).toBe(0);
    await expect(seedDemoIfEmpty(app)).rejects.toThrow('the demo province is never loaded when NODE_ENV=production');
    expect(await app.get(UnitsRepository).count()).toBe(0);
  });

  it('outside production a new database gets it, and start-up says how to skip it', async () => {
    app = (await start({})) as NestFastifyApplication;
    expect(out[0]).toBe(
      'Loaded the demo province into the new database: 99 units (LOOKBACK_NO_DEMO=1 skips it; never in production).',
    );
    expect(out[1]).toMatch(/^Lookback is serving GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(out[2]).toContain('(signed with the development secret: set LOOKBACK_JWT_SECRET for real use).');
  });

  it("the demo province loaded at start-up has its rollups: the page's first view of it answers", async () => {
    app = (await start({})) as NestFastifyApplication;
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const token = signToken({ sub: 'office', role: 'ADMIN', scopeUnitId: null }, DEV_JWT_SECRET);
    const gql = async (query: string) =>
      (await (
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        })
      ).json()) as {
        data?: any;
        errors?: unknown;
      };
    const { data } = await gql('{ units(first: 1) { edges { node { id } } } }');
    const answer = await gql(`{ rollup(unitId: "${data.units.edges[0].node.id}") { units launched } }`);
    expect(answer).toEqual({ data: { rollup: { units: 99, launched: 0 } } });
  });

  it('LOOKBACK_NO_DEMO=1 skips it outside production, and says so', async () => {
    app = (await start({ LOOKBACK_NO_DEMO: '1' })) as NestFastifyApplication;
    expect(out[0]).toBe('LOOKBACK_NO_DEMO=1: the demo province is not loaded.');
    expect(await app.get(UnitsRepository).count()).toBe(0);
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    [
      'a 31-byte LOOKBACK_JWT_SECRET',
      { LOOKBACK_JWT_SECRET: 's'.repeat(31), LOOKBACK_AUDIT_KEY: KEYS.LOOKBACK_AUDIT_KEY },
      /^LOOKBACK_JWT_SECRET is shorter than 32 bytes/,
    ],
    ['no LOOKBACK_AUDIT_KEY', { LOOKBACK_JWT_SECRET: KEYS.LOOKBACK_JWT_SECRET }, /^LOOKBACK_AUDIT_KEY is required/],
  ])('production with %s: exit 2 and one sentence, no stack, nothing started', async (_what, env, sentence) => {
    expect(await start({ NODE_ENV: 'production', ...env })).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).not.toContain('\n');
    expect(err[0].replace('lookback: configuration error: ', '')).toMatch(sentence);
  });
});
