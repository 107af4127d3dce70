import type { Principal } from '../../src/auth/principal.js';
import { HISTORY_PROPORTIONAL, requestsCharged } from '../../src/graphql/field-charges.js';
import { CampaignClient } from '../support/campaign-client.js';
import { errorCodes, raw, RawAnswer } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

const AUDITOR: Principal = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null };
const AT = '2014-03-02T00:00:00Z';
const MAX_COST = 50_000;

/**
 * Fields whose work grows with a unit's history are charged HISTORY_PROPORTIONAL (field-charges.ts): the default cost
 * budget of 50,000 holds four of them, not five, and the rate limit charges each a hundred requests.
 */
describe('history-proportional fields are charged', () => {
  let sut: TestApp;
  let limited: TestApp;
  let unitId: string;
  let limitedUnitId: string;

  beforeAll(async () => {
    [sut, limited] = await Promise.all([
      startTestApp(),
      startTestApp({ rateLimitPerMinute: 2 * requestsCharged(HISTORY_PROPORTIONAL + 1) }),
    ]);
    unitId = await new CampaignClient(sut, ADMIN).createUnit('县委领导班子', 'LEADERSHIP_BODY');
    limitedUnitId = await new CampaignClient(limited, ADMIN).createUnit('县委领导班子', 'LEADERSHIP_BODY');
  });
  afterAll(async () => {
    await Promise.all([sut?.close(), limited?.close()]);
  });

  const aliased = (n: number, field: (i: number) => string) =>
    `query($u: ID!) { ${Array.from({ length: n }, (_, i) => `h${i}: ${field(i)}`).join(' ')} }`;

  async function ask(app: TestApp, query: string, id: string): Promise<RawAnswer & { statements: number }> {
    const before = app.db.statementCount;
    const answer = await raw(app, { as: AUDITOR, body: { query, variables: { u: id } } });
    return { ...answer, statements: app.db.statementCount - before };
  }

  describe(`document limit (cost ${MAX_COST})`, () => {
    it.each([
      ['verifyHistory', () => 'verifyHistory(unitId: $u) { ok }', HISTORY_PROPORTIONAL + 1],
      ['unitAsOf', () => `unitAsOf(unitId: $u, at: "${AT}") { phase }`, HISTORY_PROPORTIONAL + 1],
      // a replay page of 100 steps by default: its selection is charged per step
      ['replay', () => 'replay(unitId: $u) { diverged }', HISTORY_PROPORTIONAL + 100],
      ['replay(first: 1)', () => 'replay(unitId: $u, first: 1) { diverged }', HISTORY_PROPORTIONAL + 1],
    ])('%s: 4 answered, 5 refused before anything runs', async (_name, field, each) => {
      const four = await ask(sut, aliased(4, field), unitId);
      expect(four.json.errors).toBeUndefined();
      expect(Object.keys(four.json.data)).toHaveLength(4);
      const five = await ask(sut, aliased(5, field), unitId);
      expect({ body: five.json, statements: five.statements }).toEqual({
        body: {
          data: null,
          errors: [
            expect.objectContaining({
              message: `the operation has an estimated cost of ${5 * each}; at most ${MAX_COST} allowed.`,
              extensions: { code: 'DOCUMENT_TOO_COMPLEX' },
            }),
          ],
        },
        statements: 0,
      });
    });

    it('mixed: two verifyHistory and two unitAsOf answered; one more of either refused', async () => {
      const mixed = (extra: string) =>
        `query($u: ID!) { a: verifyHistory(unitId: $u) { ok } b: verifyHistory(unitId: $u) { ok } c: unitAsOf(unitId: $u, at: "${AT}") { phase } d: unitAsOf(unitId: $u, at: "${AT}") { phase } ${extra} }`;
      expect((await ask(sut, mixed(''), unitId)).json.errors).toBeUndefined();
      expect(errorCodes((await ask(sut, mixed('e: verifyHistory(unitId: $u) { ok }'), unitId)).json)).toEqual([
        'DOCUMENT_TOO_COMPLEX',
      ]);
    });

    it('the same fields in fragments are charged the same', async () => {
      const spread = (n: number) =>
        `query($u: ID!) { ${Array.from({ length: n }, (_, i) => `...F${i}`).join(' ')} } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { h${i}: verifyHistory(unitId: $u) { ok } }`).join(' ')}`;
      expect((await ask(sut, spread(4), unitId)).json.errors).toBeUndefined();
      expect(errorCodes((await ask(sut, spread(5), unitId)).json)).toEqual(['DOCUMENT_TOO_COMPLEX']);
    });
  });

  describe('rate limit per principal charges the cost, not 1 per request', () => {
    beforeAll(async () => {
      // fixed one-minute windows: do not start within 3 s of the next one
      const left = 60_000 - (Date.now() % 60_000);
      if (left < 3000) await new Promise((r) => setTimeout(r, left + 50));
    });

    it(`verifyHistory counts as ${requestsCharged(HISTORY_PROPORTIONAL + 1)}: two a minute within a budget of two, the third refused before it runs`, async () => {
      const charge = requestsCharged(HISTORY_PROPORTIONAL + 1);
      expect(charge).toBe(101);
      const one = 'query($u: ID!) { verifyHistory(unitId: $u) { ok } }';
      for (let i = 0; i < 2; i++)
        expect((await ask(limited, one, limitedUnitId)).json).toEqual({ data: { verifyHistory: { ok: true } } });
      const third = await ask(limited, one, limitedUnitId);
      expect({ body: third.json, statements: third.statements }).toEqual({
        body: {
          data: null,
          errors: [
            expect.objectContaining({
              message: `rate limit: at most ${2 * charge} verifyHistory requests a minute per principal (this one counts as ${charge}).`,
              extensions: { code: 'RATE_LIMITED' },
            }),
          ],
        },
        statements: 0,
      });
      // an ordinary read of the same principal counts as one, on its own operation's budget
      const read = await ask(limited, 'query($u: ID!) { unit(id: $u) { id status { phase } } }', limitedUnitId);
      expect(read.json.errors).toBeUndefined();
    });
  });
});
