import { jest } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { signToken } from '../../src/auth/jwt.js';
import { DEFAULT_ANONYMOUS_PER_MINUTE } from '../../src/config/edge-settings.js';
import { errorCodes, raw } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

const MIB = 1024 * 1024;
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** The reviewer's attack: a unique 1 MiB document of tens of thousands of aliases. */
function aliasFlood(bytes: number, seed: string): string {
  let query = '{ ';
  for (let i = 0; query.length < bytes - 40; i++) query += `${seed}${i}: __typename `;
  return JSON.stringify({ query: `${query}}` });
}

describe('authentication before parsing: anonymous requests cost nothing', () => {
  let sut: TestApp;
  let fastify: FastifyInstance;
  let nextAddress = 1;
  /** each test its own client address, so that the per-address refusal budget of one does not leak into another */
  const freshAddress = () => `10.0.0.${nextAddress++}`;

  beforeAll(async () => {
    sut = await startTestApp({ production: true, bodyLimitBytes: 2 * MIB });
    fastify = sut.app.getHttpAdapter().getInstance();
  });
  afterAll(async () => {
    await sut?.close();
  });

  /** In-process request (light-my-request): what it measures is server time, without the network. */
  async function inject(payload: string, headers: Record<string, string>, remoteAddress = freshAddress()) {
    const started = performance.now();
    const response = await fastify.inject({
      method: 'POST',
      url: '/graphql',
      payload,
      headers: { 'content-type': 'application/json', ...headers },
      remoteAddress,
    });
    return { response, ms: performance.now() - started };
  }

  it('a unique 1 MiB alias flood without a token: 401 UNAUTHENTICATED, the body never parsed (what it costs is in npm run bench:abuse)', async () => {
    // warm the route once (first request compiles serializers)
    await inject('{}', {});
    const parses = jest.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 5; i++) {
        const { response } = await inject(aliasFlood(MIB, `x${i}_`), { accept: 'application/json' });
        expect(response.statusCode).toBe(401);
      }
      // nothing parsed the body: neither Fastify's JSON parser nor anything after it
      expect(parses).not.toHaveBeenCalled();
      // (the spy does see the server's parser: the same request with a token is parsed)
      await inject(aliasFlood(64 * 1024, 'y'), { authorization: `Bearer ${sut.token(ADMIN)}` });
      expect(parses).toHaveBeenCalled();
    } finally {
      parses.mockRestore();
    }
  });

  it('a body that is neither JSON nor GraphQL is refused the same way: only the header was looked at', async () => {
    const garbage = '{"query": "{ a: ' + '(((('.repeat(MIB / 4);
    for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${signToken(ADMIN, 'another-secret')}`]) {
      const { response } = await inject(garbage, authorization ? { authorization } : {});
      expect({ authorization, status: response.statusCode, codes: errorCodes(response.json()) }).toEqual({
        authorization,
        status: 401,
        codes: ['UNAUTHENTICATED'],
      });
    }
    // with a valid token the same body reaches the JSON parser, which refuses it
    const { response } = await inject(garbage, { authorization: `Bearer ${sut.token(ADMIN)}` });
    expect(response.statusCode).toBe(400);
  });

  it('the answer a GraphQL-over-HTTP client expects: errors without data, its media type, a Bearer challenge', async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const none = await inject(query, { accept: GRAPHQL_RESPONSE });
    expect(none.response.statusCode).toBe(401);
    expect(none.response.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(none.response.headers['www-authenticate']).toBe('Bearer');
    expect(none.response.json()).toEqual({
      errors: [
        { message: 'a bearer token is required (Authorization: Bearer …)', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });

    const expired = `Bearer ${signToken(ADMIN, sut.config.jwtSecret, { nowSeconds: Math.floor(Date.now() / 1000) - 3600, expiresInSeconds: 60 })}`;
    const bad = await inject(query, { accept: 'application/json', authorization: expired });
    expect(bad.response.statusCode).toBe(401);
    expect(bad.response.headers['content-type']).toMatch(/^application\/json/);
    expect(bad.response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(bad.response.json()).toEqual({
      errors: [{ message: 'invalid bearer token: the token has expired', extensions: { code: 'UNAUTHENTICATED' } }],
    });

    // over HTTP too, GET included, and with a valid token the same request is answered
    for (const method of ['GET', 'POST'] as const) {
      const request =
        method === 'GET'
          ? { method, search: 'query=%7B__typename%7D', contentType: null }
          : { method, body: { query: '{ __typename }' } };
      expect((await raw(sut, { ...request, as: null })).status).toBe(401);
      expect((await raw(sut, { ...request, as: ADMIN })).json).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it(`per client address: ${DEFAULT_ANONYMOUS_PER_MINUTE} refusals a minute answered 401, the next 429 with Retry-After; tokens unaffected`, async () => {
    // fixed one-minute windows: do not start within 3 s of the next one
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 3000) await new Promise((r) => setTimeout(r, left + 50));
    const address = freshAddress();
    const query = JSON.stringify({ query: '{ __typename }' });
    for (let i = 0; i < DEFAULT_ANONYMOUS_PER_MINUTE; i++) {
      const { response } = await inject(query, i % 2 ? { authorization: 'Bearer a.b.c' } : {}, address);
      expect({ i, status: response.statusCode }).toEqual({ i, status: 401 });
    }
    const over = await inject(query, {}, address);
    expect(over.response.statusCode).toBe(429);
    expect(Number(over.response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.response.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.response.json()).toEqual({
      errors: [
        {
          message: `too many requests without a valid bearer token from this address: at most ${DEFAULT_ANONYMOUS_PER_MINUTE} a minute.`,
          extensions: { code: 'RATE_LIMITED' },
        },
      ],
    });
    // a valid token from the same address is served; another address is still answered 401
    const served = await inject(query, { authorization: `Bearer ${sut.token(ADMIN)}` }, address);
    expect(served.response.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await inject(query, {})).response.statusCode).toBe(401);
  });

  it('GET /health needs no token and is not counted', async () => {
    for (let i = 0; i < 3; i++) {
      const health = await fastify.inject({ method: 'GET', url: '/health', remoteAddress: '10.9.9.9' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok' });
    }
  });
});
