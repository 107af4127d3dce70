import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_TOKENS } from '../../src/config/edge-settings.js';
import { errorCodes, raw, RawAnswer } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * `{ … }` of exactly `tokens` tokens (comments excluded, as the parser counts them), valid and within every other
 * limit: inline fragments of six tokens (`...`, `on`, `Query`, `{`, `__typename`, `}`) and single `__typename` fields.
 */
function documentOf(tokens: number): string {
  const body = tokens - 2;
  const fragments = Math.floor(body / 6);
  return `{ ${'... on Query { __typename } '.repeat(fragments)}${'__typename '.repeat(body - 6 * fragments)}} # comments are not tokens: { { {`;
}

describe("the document gate: tokens and nesting counted by the parser's own lexer, before anything parses", () => {
  let sut: TestApp;
  const unitId = randomUUID();

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut?.close();
  });

  async function counted(query: string, accept = GRAPHQL_RESPONSE): Promise<RawAnswer & { statements: number }> {
    const before = sut.db.statementCount;
    const answer = await raw(sut, { as: ADMIN, body: { query, variables: {} }, accept });
    return { ...answer, statements: sut.db.statementCount - before };
  }

  it(`tokens: ${DEFAULT_MAX_TOKENS} answered, ${DEFAULT_MAX_TOKENS + 1} refused`, async () => {
    const atLimit = await counted(documentOf(DEFAULT_MAX_TOKENS));
    expect({ status: atLimit.status, errors: atLimit.json.errors }).toEqual({ status: 200, errors: undefined });
    expect(atLimit.json.data.__typename).toBe('Query');
    const over = await counted(documentOf(DEFAULT_MAX_TOKENS + 1));
    expect({ status: over.status, body: over.json }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: `the document has more than ${DEFAULT_MAX_TOKENS} tokens.`,
            extensions: { code: 'DOCUMENT_TOO_COMPLEX' },
          },
        ],
      },
    });
  });

  it('a 1 MiB alias flood with a token: refused at the token limit, in the time of lexing 2,001 tokens', async () => {
    let query = '{ ';
    for (let i = 0; query.length < 1024 * 1024 - 100; i++) query += `a${i}: __typename `;
    // the fastest of up to three sends: a stall of the whole process on a busy machine is not the gate's time
    let ms = Infinity;
    let answer!: Awaited<ReturnType<typeof counted>>;
    for (let attempt = 0; attempt < 3 && ms >= 500; attempt++) {
      const started = performance.now();
      answer = await counted(`${query}}`, 'application/json');
      ms = performance.now() - started;
    }
    expect({ status: answer.status, codes: errorCodes(answer.json), data: answer.json.data }).toEqual({
      status: 200,
      codes: ['DOCUMENT_TOO_COMPLEX'],
      data: null,
    });
    expect(answer.statements).toBe(0);
    // the request itself is 1 MiB of JSON to send and parse: the document's own work is what stays small
    expect(ms).toBeLessThan(500);
  });

  it('the largest document a client needs — 50 aliased unit reads, a variable each, a dozen fields — fits', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `$u${i}: ID!`).join(', ');
    const reads = Array.from(
      { length: 50 },
      (_, i) =>
        `u${i}: unit(id: $u${i}) { id name kind depth status { phase activeStates version } parent { id name } }`,
    ).join(' ');
    const variables = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`u${i}`, unitId]));
    const answer = await raw(sut, { as: ADMIN, body: { query: `query Board(${ids}) { ${reads} }`, variables } });
    expect(answer.json.errors).toBeUndefined();
    expect(Object.keys(answer.json.data)).toHaveLength(50);
  });

  describe('nesting: the lexer cannot be fooled by what a hand scanner took for the end of a block string', () => {
    // `\"""` inside a block string is an escaped quote, not its end: a scanner that stopped there saw the next `"""`
    // open a block string that hid every bracket after it, and 3,000 levels reached the parser (stack overflow)
    const hidden = (levels: number) =>
      `{ units(phase: """ \\""" """) { edges { node { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } } } } # """`;

    it.each([300, 3000])('%d levels behind \\""" → DOCUMENT_TOO_COMPLEX, nothing run', async (levels) => {
      for (const accept of [GRAPHQL_RESPONSE, 'application/json']) {
        const answer = await counted(hidden(levels), accept);
        expect(answer.text).not.toMatch(/call stack/i);
        expect({ status: answer.status, errors: answer.json.errors, statements: answer.statements }).toEqual({
          status: accept === GRAPHQL_RESPONSE ? 400 : 200,
          errors: [
            { message: 'the document nests deeper than 256 levels.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } },
          ],
          statements: 0,
        });
      }
    });

    it('brackets inside block strings with escaped quotes stay text: 256 levels answered, 257 refused', async () => {
      // { units( … ) { edges { node {  = 4 levels before the parents; `id` closes nothing
      const nested = (depth: number) =>
        `{ units(phase: """ \\""" { [ ( """) { edges { node { ${'parent { '.repeat(depth - 4)}id${' }'.repeat(depth - 4)} } } } }`;
      const at = await counted(nested(256));
      // answered by GraphQL: too deep for the document limits (15), not for the lexer
      expect(at.json.errors.map((e: { message: string }) => e.message)).toEqual([
        'the operation has a depth of 256; at most 15 allowed.',
      ]);
      const over = await counted(nested(257));
      expect(over.json.errors).toEqual([
        { message: 'the document nests deeper than 256 levels.', extensions: { code: 'DOCUMENT_TOO_COMPLEX' } },
      ]);
    });
  });

  it("a query that is JSON (Mercurius would take it for a document AST) gets the parser's syntax error, not an internal one", async () => {
    const ast = {
      kind: 'Document',
      definitions: [
        {
          kind: 'OperationDefinition',
          operation: 'query',
          selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field' }] },
        },
      ],
    };
    for (const query of [JSON.stringify(ast), '{"kind":"Document"}', 'null', '"{ __typename }"', '123']) {
      const answer = await counted(query, 'application/json');
      expect({ query, codes: errorCodes(answer.json), message: answer.json.errors[0].message }).toEqual({
        query,
        codes: [undefined],
        message: expect.stringMatching(/^Syntax Error: /),
      });
      expect(answer.json.data).toBeNull();
    }
  });
});
