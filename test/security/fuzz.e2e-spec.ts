import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal.js';
import { CampaignClient } from '../support/campaign-client.js';
import { describeRequest, fuzzCases, INTERNALS } from '../support/security-fuzz.js';
import { errorCodes, pool, raw, RawAnswer } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';
import { behindTheServicesBack } from '../support/tamper.js';

const SEED = 0x10_0cb4c;
const COUNT = 5200;

/** What an answer must never be: a 5xx, or a text that shows a stack frame, our SQL or a file path. */
function problemsOf(answer: RawAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  for (const needle of INTERNALS) if (answer.text.includes(needle)) problems.push(`mentions ${JSON.stringify(needle)}`);
  for (const error of answer.json?.errors ?? []) {
    if (error?.extensions?.code === 'INTERNAL_SERVER_ERROR' && error.message !== 'Internal server error')
      problems.push(`internal error with message ${error.message}`);
    if (error?.extensions && ('stacktrace' in error.extensions || 'exception' in error.extensions))
      problems.push('error extensions carry a stack');
  }
  return problems;
}

describe('fuzz: hostile documents against a production app', () => {
  let sut: TestApp;
  let unitIds: string[];
  let officer: Principal;

  beforeAll(async () => {
    sut = await startTestApp({ production: true });
    const admin = new CampaignClient(sut, ADMIN);
    const province = await admin.createUnit('省', 'LEADERSHIP_BODY');
    const city = await admin.createUnit('市', 'DIRECT_UNIT', province);
    const village = await admin.createUnit('村', 'GRASSROOTS', city);
    unitIds = [province, city, village, randomUUID(), 'not-a-uuid'];
    officer = { sub: 'officer', role: 'OFFICER', scopeUnitId: city };
  });
  afterAll(async () => {
    await sut.close();
  });

  it(`${COUNT} generated requests: no 5xx, no internals in any answer, the process alive`, async () => {
    const cases = fuzzCases(SEED, COUNT, { unitIds, admin: ADMIN, officer });
    const statuses = new Map<number, number>();
    const found: string[] = [];
    // hostile input is the client's error: an internal error (even masked) means a resolver choked on it
    const internal: string[] = [];
    await pool(
      cases.map((c, i) => async () => {
        const answer = await raw(sut, c.request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problems = problemsOf(answer);
        if (errorCodes(answer.json).includes('INTERNAL_SERVER_ERROR') && internal.length < 20)
          internal.push(`#${i} ${c.kind}: ${describeRequest(c.request).slice(0, 300)}`);
        if (problems.length > 0 && found.length < 20)
          found.push(`#${i} ${c.kind}: ${problems.join(', ')} — ${answer.text.slice(0, 300)}`);
      }),
      8,
    );
    expect(found).toEqual([]);
    expect(internal).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(COUNT);
    // the run exercised refusals and answers alike
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 405, 415]));
    const health = await fetch(`${sut.url}/health`);
    expect(health.status).toBe(200);
    expect((await sut.gql('{ units(first: 1) { edges { node { id } } } }')).errors).toBeUndefined();
  }, 240_000); // 5,200 requests: a minute on a quiet machine, more on a busy one

  it('a DateTime that is no date (found by this fuzz: an Invalid Date reached the resolvers) is a client error', async () => {
    const [, city] = unitIds;
    const bad = [
      '2014-13-45T25:61:00Z',
      '9999999-01-01T00:00:00Z',
      'not a date',
      '2014-03-01',
      '0',
      '',
      1e308,
      true,
      [],
      {},
    ];
    for (const occurredAt of bad) {
      const answer = await raw(sut, {
        body: {
          query: 'mutation($i: RecordFilmScreeningInput!) { recordFilmScreening(input: $i) { __typename } }',
          variables: { i: { unitId: city, title: '焦裕禄', occurredAt } },
        },
        as: ADMIN,
      });
      expect({
        occurredAt,
        status: answer.status,
        codes: errorCodes(answer.json),
        data: answer.json.data ?? null,
      }).toEqual({ occurredAt, status: 200, codes: ['BAD_USER_INPUT'], data: null });
      // the scalar's own reason, or (once Mercurius has compiled the query with graphql-jit) the variable and its type
      expect(answer.json.errors[0].message).toMatch(
        /DateTime must be an RFC 3339 date-time|"\$i" got invalid value .*DateTime|Expected type DateTime/,
      );
    }
    for (const at of ['"2014-13-45T25:61:00Z"', '"yesterday"', '5']) {
      const answer = await raw(sut, {
        body: { query: `{ unitAsOf(unitId: "${city}", at: ${at}) { phase } }` },
        as: ADMIN,
      });
      expect({ at, codes: errorCodes(answer.json) }).not.toEqual({
        at,
        codes: expect.arrayContaining(['INTERNAL_SERVER_ERROR']),
      });
      expect(answer.json.errors[0].message).toMatch(
        /DateTime must be an RFC 3339 date-time|Expected value of type "DateTime!"/,
      );
    }
    const good = await raw(sut, {
      body: { query: `{ unitAsOf(unitId: "${city}", at: "2014-03-02T00:00:00+08:00") { phase } }` },
      as: ADMIN,
    });
    expect(good.json).toEqual({ data: { unitAsOf: { phase: 'registered' } } });
  });

  it('introspection is refused in production', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Unit") { fields { name } } }']) {
      const answer = await raw(sut, { body: { query }, as: ADMIN });
      expect(answer.json.data ?? null).toBeNull();
      expect(answer.json.errors.length).toBeGreaterThan(0);
      for (const error of answer.json.errors) expect(error.message).toMatch(/^GraphQL introspection has been disabled/);
    }
  });

  it('GraphiQL is off in production', async () => {
    const res = await fetch(`${sut.url}/graphiql`);
    expect(res.status).toBe(404);
  });

  it('an unexpected error (a unit whose stored state vanished, a table gone) is answered "Internal server error", nothing more', async () => {
    const [province, , village] = unitIds;
    await behindTheServicesBack(sut.db, [{ sql: 'DELETE FROM unit_states WHERE unit_id = ?', params: [village] }]);
    const noState = await raw(sut, {
      body: { query: `{ unit(id: "${village}") { id status { phase } } }` },
      as: ADMIN,
    });
    expect(noState.status).toBe(200);
    expect(noState.json).toEqual({
      data: { unit: null },
      errors: [
        {
          message: 'Internal server error',
          locations: expect.any(Array),
          path: ['unit'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });

    await behindTheServicesBack(sut.db, [{ sql: 'ALTER TABLE findings RENAME TO findings_gone' }]);
    const noTable = await raw(sut, {
      body: { query: `{ unit(id: "${province}") { id findings { pageInfo { hasNextPage } } } }` },
      as: ADMIN,
    });
    expect(problemsOf(noTable)).toEqual([]);
    expect(noTable.json.errors).toEqual([
      {
        message: 'Internal server error',
        locations: expect.any(Array),
        path: ['unit', 'findings'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(noTable.text).not.toMatch(/findings_gone|no such table|does not exist/);
    await behindTheServicesBack(sut.db, [{ sql: 'ALTER TABLE findings_gone RENAME TO findings' }]);
    expect((await fetch(`${sut.url}/health`)).status).toBe(200);
  });
});
