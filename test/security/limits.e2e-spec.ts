import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal.js';
import { errorCodes, raw, RawAnswer, RawRequest } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

/**
 * Every limit at its limit (answered) and at limit + 1 (refused before any resolver runs: no statement reaches the
 * database and the answer carries no data). Depth and aliases at their defaults (15, 50); fields and cost lowered
 * so that the documents stay small.
 */
const LIMITS = { maxDepth: 15, maxAliases: 50, maxFields: 120, maxCost: 300 };
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

describe('limits at limit + 1, refused before any resolver runs', () => {
  let sut: TestApp;
  let limited: TestApp;
  const unitId = randomUUID();

  beforeAll(async () => {
    [sut, limited] = await Promise.all([startTestApp({ graphql: LIMITS }), startTestApp({ rateLimitPerMinute: 3 })]);
  });
  afterAll(async () => {
    await Promise.all([sut?.close(), limited?.close()]);
  });

  /** Sends the request and returns the answer with the number of statements it ran. */
  async function counted(app: TestApp, request: RawRequest): Promise<RawAnswer & { statements: number }> {
    const before = app.db.statementCount;
    const answer = await raw(app, { as: ADMIN, ...request });
    return { ...answer, statements: app.db.statementCount - before };
  }

  const post = (query: string, variables: Record<string, unknown> = { id: unitId }) =>
    counted(sut, { body: { query, variables }, accept: GRAPHQL_RESPONSE });

  /** Answered: resolvers ran (the unit lookups reached the database) and data came back. */
  function expectAnswered(answer: RawAnswer & { statements: number }) {
    expect({ status: answer.status, errors: answer.json.errors }).toEqual({ status: 200, errors: undefined });
    expect(answer.json.data).toBeDefined();
    expect(answer.statements).toBeGreaterThan(0);
  }

  function expectTooComplex(answer: RawAnswer & { statements: number }, ...messages: string[]) {
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: messages.map((message) =>
        expect.objectContaining({ message, extensions: { code: 'DOCUMENT_TOO_COMPLEX' } }),
      ),
    });
    expect(answer.statements).toBe(0);
  }

  describe('depth', () => {
    // unit + n × parent + id: a depth of n + 2
    const nested = (depth: number) =>
      `query($id: ID!) { unit(id: $id) { ${'parent { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

    it('15 answered, 16 refused', async () => {
      expectAnswered(await post(nested(15)));
      expectTooComplex(await post(nested(16)), 'the operation has a depth of 16; at most 15 allowed.');
    });

    it('counted through fragments: a depth of 16 split across three fragments is refused', async () => {
      const query = `query Deep($id: ID!) { unit(id: $id) { ...A } }
        fragment A on Unit { parent { parent { parent { parent { ...B } } } } }
        fragment B on Unit { parent { parent { parent { parent { ...C } } } } }
        fragment C on Unit { parent { parent { parent { parent { parent { parent { id } } } } } } }`;
      expectTooComplex(await post(query), 'operation Deep has a depth of 16; at most 15 allowed.');
    });
  });

  describe('aliases', () => {
    const aliased = (n: number) =>
      `query($id: ID!) { ${Array.from({ length: n }, (_, i) => `a${i}: unit(id: $id) { id }`).join(' ')} }`;

    it('50 answered, 51 refused', async () => {
      expectAnswered(await post(aliased(50)));
      expectTooComplex(await post(aliased(51)), 'the operation has aliases: 51; at most 50 allowed.');
    });

    it('one aliased fragment spread 50 times answered, 51 times refused', async () => {
      const spread = (n: number) =>
        `query($id: ID!) { ${'...F '.repeat(n)}} fragment F on Query { u: unit(id: $id) { id } }`;
      expectAnswered(await post(spread(50)));
      expectTooComplex(await post(spread(51)), 'the operation has aliases: 51; at most 50 allowed.');
    });

    it('fragments doubling each other (2⁶ = 64 aliases, 128 fields in a few hundred bytes) refused with both reasons', async () => {
      const fragments = [
        'fragment F0 on Query { u: unit(id: $id) { id } }',
        ...Array.from({ length: 6 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`),
      ];
      const query = `query($id: ID!) { ...F6 } ${fragments.join(' ')}`;
      expectTooComplex(
        await post(query),
        'the operation has aliases: 64; at most 50 allowed.',
        'the operation has field selections: 128; at most 120 allowed.',
      );
    });
  });

  describe('fields and cost', () => {
    it(`fields: ${LIMITS.maxFields} answered, ${LIMITS.maxFields + 1} refused`, async () => {
      const fields = (n: number) => `query($id: ID!) { unit(id: $id) { ${'id '.repeat(n - 1)}} }`;
      expectAnswered(await post(fields(LIMITS.maxFields)));
      expectTooComplex(
        await post(fields(LIMITS.maxFields + 1)),
        `the operation has field selections: ${LIMITS.maxFields + 1}; at most ${LIMITS.maxFields} allowed.`,
      );
    });

    it(`cost: ${LIMITS.maxCost} answered, ${LIMITS.maxCost + 1} refused (a page of 99 costs 99 × its selection)`, async () => {
      // units: 1 + 99 × (edges 1 + node 1 + id 1) = 298, plus n root __typename
      const costly = (extra: number) => `{ units(first: 99) { edges { node { id } } } ${'__typename '.repeat(extra)}}`;
      expectAnswered(await post(costly(2)));
      expectTooComplex(
        await post(costly(3)),
        `the operation has an estimated cost of ${LIMITS.maxCost + 1}; at most ${LIMITS.maxCost} allowed.`,
      );
    });

    it('a page size in a variable is charged at the largest page', async () => {
      expectTooComplex(
        await post('query($n: Int) { units(first: $n) { edges { node { id } } } }', { n: 1 }),
        'the operation has an estimated cost of 301; at most 300 allowed.',
      );
    });
  });

  describe('HTTP', () => {
    const LIMIT = 1048576;
    /** a JSON body of exactly `bytes` bytes: a valid request padded by a variable the document never reads */
    const bodyOf = (bytes: number) => {
      const head = JSON.stringify({
        query: 'query($id: ID!) { unit(id: $id) { id } }',
        variables: { id: unitId, pad: '' },
      });
      return head.replace('"pad":""', `"pad":"${'x'.repeat(bytes - head.length)}"`);
    };

    it('a body of exactly the limit answered, one byte more → 413', async () => {
      expect(bodyOf(LIMIT).length).toBe(LIMIT);
      expectAnswered(await counted(sut, { body: bodyOf(LIMIT) }));
      const over = await counted(sut, { body: bodyOf(LIMIT + 1) });
      expect(over.status).toBe(413);
      expect(over.json?.data ?? null).toBeNull();
      expect(over.statements).toBe(0);
    });

    it('brackets nested deeper than 256 → DOCUMENT_TOO_COMPLEX before the document is even parsed (parsing recurses)', async () => {
      for (const levels of [255, 20_000]) {
        // unit ( … ) { parent { … } }: 2 + levels + 1 brackets deep
        const query = `query($id: ID!) { unit(id: $id) { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
        const answer = await post(query);
        expect({ levels, status: answer.status, body: answer.json, statements: answer.statements }).toEqual({
          levels,
          status: 400,
          body: {
            errors: [
              { message: 'the document nests deeper than 256 levels.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } },
            ],
          },
          statements: 0,
        });
      }
      const plain = await counted(sut, { body: { query: `{ ${'{ a '.repeat(5000)}` } });
      expect({ status: plain.status, body: plain.json }).toEqual({
        status: 200,
        body: {
          data: null,
          errors: [
            { message: 'the document nests deeper than 256 levels.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } },
          ],
        },
      });
      // brackets inside strings and comments are text: answered
      expectAnswered(await post(`query($id: ID!) { unit(id: $id) { id } } # ${'{'.repeat(1000)}`));
      expectAnswered(
        await counted(sut, {
          body: { query: `{ units(phase: "${'{['.repeat(1000)}\\"") { edges { node { id } } } }` },
        }),
      );
      expectAnswered(
        await counted(sut, {
          body: { query: `{ units(phase: """${'('.repeat(1000)}""") { edges { node { id } } } }` },
        }),
      );
    });

    it('a GET naming no operation of its document → the GraphQL error, not a crash in the GET mutation check', async () => {
      const get = (params: Record<string, string>) =>
        counted(sut, { method: 'GET', search: new URLSearchParams(params).toString(), contentType: null });
      const unknown = await get({ query: `{ unit(id: "${unitId}") { id } }`, operationName: 'Nope' });
      expect({ status: unknown.status, body: unknown.json, statements: unknown.statements }).toEqual({
        status: 200,
        body: { data: null, errors: [{ message: 'Unknown operation named "Nope".' }] },
        statements: 0,
      });
      const ambiguous = await get({ query: 'query A { __typename } query B { __typename }' });
      expect(ambiguous.json).toEqual({
        data: null,
        errors: [{ message: 'Must provide operation name if query contains multiple operations.' }],
      });
      const named = await get({
        query: `query A { unit(id: "${unitId}") { id } } mutation B { __typename }`,
        operationName: 'A',
      });
      expectAnswered(named);
      expect(
        (await get({ query: 'query A { __typename } mutation B { __typename }', operationName: 'B' })).status,
      ).toBe(405);
    });

    it('U+0000 in a string (PostgreSQL text cannot hold it: found by the fuzz on PostgreSQL as an internal error) → BAD_USER_INPUT, nothing run', async () => {
      const refused = {
        errors: [{ message: 'strings may not contain U+0000.', extensions: { code: 'BAD_USER_INPUT' } }],
      };
      for (const [query, variables] of [
        ['query($id: ID!) { unit(id: $id) { id } }', { id: 'a\u0000b' }],
        ['{ unit(id: "\\u0000") { id } }', undefined],
        ['{ unit(id: "\\u{0}") { id } }', undefined],
        [
          'mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename } }',
          { i: { name: 'x\u0000', kind: 'GRASSROOTS' } },
        ],
      ] as const) {
        const answer = await counted(sut, { body: { query, variables }, accept: GRAPHQL_RESPONSE });
        expect({ query, status: answer.status, body: answer.json, statements: answer.statements }).toEqual({
          query,
          status: 400,
          body: refused,
          statements: 0,
        });
      }
    });

    it('a batched (array) body → 400, nothing run', async () => {
      const one = { query: 'query($id: ID!) { unit(id: $id) { id } }', variables: { id: unitId } };
      const answer = await counted(sut, { body: [one, one] });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ errors: [{ message: 'the body must be a JSON object' }] });
      expect(answer.statements).toBe(0);
    });

    it('a mutation over GET → 405, nothing written', async () => {
      const query = 'mutation { createUnit(input: { name: "x", kind: GRASSROOTS }) { __typename } }';
      const answer = await counted(sut, {
        method: 'GET',
        search: new URLSearchParams({ query }).toString(),
        contentType: null,
      });
      expect(answer.status).toBe(405);
      expect(answer.json?.data ?? null).toBeNull();
      expect(answer.statements).toBe(0);
      const units = await sut.gql('{ units { edges { node { id } } } }');
      expect(units.data!.units.edges).toEqual([]);
    });

    it.each([
      'text/plain',
      'application/graphql',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain; charset=utf-8',
    ])('POST with Content-Type %s → 415, nothing run', async (contentType) => {
      const query = 'mutation { createUnit(input: { name: "x", kind: GRASSROOTS }) { __typename } }';
      const body = contentType === 'application/graphql' ? query : JSON.stringify({ query });
      const answer = await counted(sut, { body, contentType });
      expect(answer.status).toBe(415);
      expect(answer.json?.data ?? null).toBeNull();
      expect(answer.statements).toBe(0);
    });

    it('POST without a Content-Type → 415', async () => {
      const answer = await counted(sut, { body: JSON.stringify({ query: '{ __typename }' }), contentType: null });
      // fetch labels a string body text/plain when no type is given: refused all the same
      expect(answer.status).toBe(415);
      expect(answer.statements).toBe(0);
    });
  });

  describe('rate limit per principal and per operation (3 a minute)', () => {
    const ask = (as: Principal, query: string) => counted(limited, { body: { query, variables: { id: unitId } }, as });
    const UNIT = 'query($id: ID!) { unit(id: $id) { id } }';

    beforeAll(async () => {
      // fixed one-minute windows: do not start within 3 s of the next one
      const left = 60_000 - (Date.now() % 60_000);
      if (left < 3000) await new Promise((r) => setTimeout(r, left + 50));
    });

    it('request 4 of one principal to one operation → RATE_LIMITED; another principal and another operation pass', async () => {
      const alice: Principal = { sub: 'alice', role: 'AUDITOR', scopeUnitId: null };
      const bob: Principal = { sub: 'bob', role: 'AUDITOR', scopeUnitId: null };
      for (let i = 0; i < 3; i++) expectAnswered(await ask(alice, UNIT));
      const fourth = await ask(alice, UNIT);
      expect(fourth.status).toBe(200);
      expect(errorCodes(fourth.json)).toEqual(['RATE_LIMITED']);
      expect(fourth.json.errors[0].message).toBe('rate limit: at most 3 unit requests a minute per principal.');
      expect(fourth.json.data).toEqual({ unit: null });
      expect(fourth.statements).toBe(0);
      expectAnswered(await ask(bob, UNIT));
      expectAnswered(await ask(alice, '{ units { edges { node { id } } } }'));
    });

    it('counted per operation, not per HTTP request: 4 aliased unit fields in one request → one RATE_LIMITED', async () => {
      const carol: Principal = { sub: 'carol', role: 'OFFICER', scopeUnitId: null };
      const answer = await ask(
        carol,
        'query($id: ID!) { a: unit(id: $id) { id } b: unit(id: $id) { id } c: unit(id: $id) { id } d: unit(id: $id) { id } }',
      );
      expect(errorCodes(answer.json)).toEqual(['RATE_LIMITED']);
      expect(['a', 'b', 'c', 'd']).toContain(answer.json.errors[0].path[0]);
      const next = await ask(carol, UNIT);
      expect(errorCodes(next.json)).toEqual(['RATE_LIMITED']);
      expect(next.statements).toBe(0);
    });

    it('no principal, no budget spent: requests without a token are UNAUTHENTICATED, not counted against anyone', async () => {
      const dave: Principal = { sub: 'dave', role: 'AUDITOR', scopeUnitId: null };
      for (let i = 0; i < 5; i++)
        expect(
          errorCodes((await counted(limited, { body: { query: UNIT, variables: { id: unitId } }, as: null })).json),
        ).toEqual(['UNAUTHENTICATED']);
      for (let i = 0; i < 3; i++) expectAnswered(await ask(dave, UNIT));
    });
  });
});
