import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_NEW_DOCUMENTS_PER_MINUTE } from '../../src/config/edge-settings.js';
import { errorCodes, raw } from '../support/security-http.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const ALICE: Principal = { sub: 'alice', role: 'AUDITOR', scopeUnitId: null };
const BOB: Principal = { sub: 'bob', role: 'AUDITOR', scopeUnitId: null };

/**
 * Validation of a new document is the work the rate limit of fields never saw (a document failing validation runs no
 * field): each principal has the server validate at most DEFAULT_NEW_DOCUMENTS_PER_MINUTE new documents a minute.
 */
describe(`new documents: ${DEFAULT_NEW_DOCUMENTS_PER_MINUTE} a minute per principal validated, the next refused before validation`, () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ rateLimitPerMinute: 3000 });
    // fixed one-minute windows: do not start within 5 s of the next one
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5000) await new Promise((r) => setTimeout(r, left + 50));
  });
  afterAll(async () => {
    await sut?.close();
  });

  const ask = (as: Principal, query: string, accept = 'application/json') => raw(sut, { as, body: { query }, accept });

  it('at the limit answered (valid or not), one more 429 RATE_LIMITED; documents seen before, and other principals, still answered', async () => {
    for (let i = 0; i < DEFAULT_NEW_DOCUMENTS_PER_MINUTE; i++) {
      // every third one fails validation: it is counted all the same
      const answer = await ask(ALICE, i % 3 === 2 ? `{ nope${i} }` : `{ a${i}: __typename }`);
      expect({ i, status: answer.status, codes: errorCodes(answer.json) }).toEqual({
        i,
        status: 200,
        codes: i % 3 === 2 ? [undefined] : [],
      });
    }
    const over = await ask(ALICE, '{ over: __typename }', 'application/graphql-response+json');
    expect(over.status).toBe(429);
    expect(over.json.errors).toEqual([
      {
        message: `rate limit: at most ${DEFAULT_NEW_DOCUMENTS_PER_MINUTE} new documents a minute per principal (a document sent before is not counted).`,
        extensions: { code: 'RATE_LIMITED' },
      },
    ]);
    const again = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.token(ALICE)}` },
      body: JSON.stringify({ query: '{ stillOver: __typename }' }),
    });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // a document Alice sent before comes from the cache: answered
    expect((await ask(ALICE, '{ a0: __typename }')).json).toEqual({ data: { a0: 'Query' } });
    // Bob's budget is his own
    expect((await ask(BOB, '{ over: __typename }')).json).toEqual({ data: { over: 'Query' } });
  });
});
