import { GraphQLError } from 'graphql';
import { API_ERROR_EXPOSURE, ApiErrorCode, apiError } from '../common/results/api-error-code.js';
import { maskingErrorFormatter } from './error-masking.js';

type Formatter = ReturnType<typeof maskingErrorFormatter>;
const ctx = { app: { log: { info() {}, error() {} } } } as unknown as Parameters<Formatter>[1];

/** What a client receives for `errors`, through the formatter Mercurius calls. */
function answer(production: boolean, errors: unknown[], data: unknown = null) {
  return maskingErrorFormatter(production)({ data, errors } as never, ctx);
}

/** An error as a resolver's throw reaches the formatter: located by graphql-js, the thrown error as its original. */
const thrownByResolver = (error: Error) => new GraphQLError(error.message, { path: ['unit'], originalError: error });

/** Mercurius's MER_ERR_GQL_VALIDATION: one 400 error wrapping the document's errors. */
function mercuriusValidation(errors: unknown[]) {
  const wrapper = Object.assign(new Error('Graphql validation error'), { statusCode: 400, errors });
  return new GraphQLError(wrapper.message, { originalError: wrapper });
}

const INTERNAL = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

describe('production error masking', () => {
  describe('every ApiErrorCode, as its exposure says', () => {
    it.each(Object.values(ApiErrorCode))('%s', (code) => {
      const { response } = answer(true, [thrownByResolver(apiError(code, 'what the client is told'))]);
      const expected =
        API_ERROR_EXPOSURE[code] === 'public' ? { message: 'what the client is told', extensions: { code } } : INTERNAL;
      expect(response.errors).toEqual([{ ...expected, path: ['unit'] }]);
    });

    it('the exposure table itself: which codes clients read', () => {
      expect(API_ERROR_EXPOSURE).toEqual({
        UNAUTHENTICATED: 'public',
        FORBIDDEN: 'public',
        BAD_USER_INPUT: 'public',
        NOT_FOUND: 'public',
        RATE_LIMITED: 'public',
        DOCUMENT_TOO_COMPLEX: 'public',
        INTERNAL_SERVER_ERROR: 'internal',
        UNAVAILABLE: 'public',
        STORAGE_FULL: 'public',
      });
    });
  });

  it.each<[string, unknown, object]>([
    [
      'a code the service never declared',
      thrownByResolver(new GraphQLError('SELECT * FROM unit_events', { extensions: { code: 'SQLITE_ERROR' } })),
      { ...INTERNAL, path: ['unit'] },
    ],
    [
      'a plain Error from a resolver',
      thrownByResolver(new Error('no such table: findings')),
      { ...INTERNAL, path: ['unit'] },
    ],
    [
      'a TypeError from a resolver',
      thrownByResolver(new TypeError("Cannot read properties of undefined (reading 'phase')")),
      { ...INTERNAL, path: ['unit'] },
    ],
    [
      'a GraphQL validation error (no original error: it describes the document)',
      new GraphQLError('Cannot query field "x" on type "Query".'),
      { message: 'Cannot query field "x" on type "Query".' },
    ],
    [
      'a request Fastify refused (4xx)',
      new GraphQLError('Request body is too large', {
        originalError: Object.assign(new Error('Request body is too large'), { statusCode: 413 }),
      }),
      { message: 'Request body is too large' },
    ],
    [
      'a server-side failure with a 5xx status',
      new GraphQLError('pool exhausted', {
        originalError: Object.assign(new Error('pool exhausted'), { statusCode: 503 }),
      }),
      INTERNAL,
    ],
  ])('%s', (_what, error, expected) => {
    expect(answer(true, [error]).response.errors).toEqual([expected]);
  });

  it("Mercurius's validation wrapper: document errors kept, a bare Error inside it (the parser's stack overflow) masked", () => {
    const syntax = new GraphQLError('Syntax Error: Expected Name, found <EOF>.');
    const { statusCode, response } = answer(true, [
      mercuriusValidation([syntax, new RangeError('Maximum call stack size exceeded')]),
    ]);
    expect(statusCode).toBe(400);
    expect(response.errors).toEqual([{ message: 'Syntax Error: Expected Name, found <EOF>.' }, INTERNAL]);
  });

  it("Mercurius's own refusals (a plain Error in a 4xx wrapper: a mutation over GET) keep their message and status", () => {
    const wrapper = Object.assign(new Error('Method Not Allowed'), {
      statusCode: 405,
      errors: [new Error('Operation cannot be performed via a GET request')],
    });
    const { statusCode, response } = answer(true, [new GraphQLError(wrapper.message, { originalError: wrapper })]);
    expect({ statusCode, errors: response.errors }).toEqual({
      statusCode: 405,
      errors: [{ message: 'Operation cannot be performed via a GET request' }],
    });
  });

  it('suggestions are stripped in production, kept outside it', () => {
    const errors = [
      new GraphQLError('Cannot query field "unitz" on type "Query". Did you mean "unit", "units", or "unitAsOf"?'),
      new GraphQLError(
        'Variable "$k" got invalid value "GRASROOTS"; Value "GRASROOTS" does not exist in "UnitKind" enum. Did you mean the enum value "GRASSROOTS"?',
      ),
      mercuriusValidation([new GraphQLError('Unknown type "Unitt". Did you mean "Unit"?')]),
    ];
    expect(answer(true, errors).response.errors!.map((e: { message: string }) => e.message)).toEqual([
      'Cannot query field "unitz" on type "Query".',
      'Variable "$k" got invalid value "GRASROOTS"; Value "GRASROOTS" does not exist in "UnitKind" enum.',
      'Unknown type "Unitt".',
    ]);
    expect(answer(false, errors).response.errors![0].message).toMatch(/Did you mean "unit", "units", or "unitAsOf"\?$/);
  });

  it('partial data is kept next to masked errors', () => {
    const { response } = answer(true, [thrownByResolver(new Error('boom'))], { unit: null, units: { edges: [] } });
    expect(response).toEqual({ data: { unit: null, units: { edges: [] } }, errors: [{ ...INTERNAL, path: ['unit'] }] });
  });
});
