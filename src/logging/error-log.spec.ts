import { GraphQLError, Source } from 'graphql';
import { boundedStack, errorCodeOf, errorForLog, firstTimeLogged, isExpectedError, rootCause } from './error-log.js';

/** What graphql-js makes of an error thrown in a resolver: a located GraphQLError wrapping it. */
const located = (thrown: Error, path = ['units', 0, 'parent']) =>
  new GraphQLError(thrown.message, { path, originalError: thrown });
const forbidden = () => new GraphQLError('the unit is outside your scope.', { extensions: { code: 'FORBIDDEN' } });

describe('isExpectedError and errorCodeOf', () => {
  it.each<[string, unknown, boolean, string | undefined]>([
    ['a FORBIDDEN thrown by a guard, as graphql-js locates it', located(forbidden()), true, 'FORBIDDEN'],
    [
      'a document that does not validate',
      new GraphQLError('Cannot query field "x" on type "Query".'),
      true,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a document that does not parse',
      new GraphQLError('Syntax Error: Expected Name, found <EOF>.'),
      true,
      'GRAPHQL_PARSE_FAILED',
    ],
    [
      'a body Fastify refused as too large',
      Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
      true,
      'FST_ERR_CTP_BODY_TOO_LARGE',
    ],
    ['a TypeError in a resolver', located(new TypeError('x is undefined')), false, undefined],
    [
      'a database error',
      located(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT' })),
      false,
      'SQLITE_CONSTRAINT',
    ],
    ['an error answered 500', Object.assign(new Error('boom'), { statusCode: 500 }), false, undefined],
    [
      'a GraphQLError saying INTERNAL_SERVER_ERROR',
      new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      false,
      'INTERNAL_SERVER_ERROR',
    ],
    [
      'a GraphQLError with a code the service never declared',
      new GraphQLError('SELECT * FROM units', { extensions: { code: 'SQLITE_ERROR' } }),
      false,
      'SQLITE_ERROR',
    ],
  ])('%s', (_what, error, expected, code) => {
    expect(isExpectedError(error)).toBe(expected);
    expect(errorCodeOf(error)).toBe(code);
  });

  it('rootCause walks down the wrapping', () => {
    const thrown = new TypeError('x');
    expect(rootCause(located(thrown))).toBe(thrown);
    expect(rootCause(thrown)).toBe(thrown);
  });
});

describe('errorForLog (the err serializer)', () => {
  it('an expected error: type, code, message, path — no stack, no document source, no nodes', () => {
    const source = new Source(`{ ${'a '.repeat(10_000)}}`);
    const error = new GraphQLError('the unit is outside your scope.', {
      source,
      positions: [2],
      path: ['a0'],
      extensions: { code: 'FORBIDDEN' },
    });
    const entry = errorForLog(error);
    expect(entry).toEqual({
      type: 'GraphQLError',
      message: 'the unit is outside your scope.',
      code: 'FORBIDDEN',
      path: 'a0',
    });
    expect(JSON.stringify(entry).length).toBeLessThan(200);
  });

  it('cuts a message that echoes input and a path made of long aliases', () => {
    const entry = errorForLog(new GraphQLError(`Unknown argument "${'q'.repeat(5000)}".`, { path: ['w'.repeat(300)] }));
    expect(entry.message).toMatch(/^Unknown argument "q+…\(\+4820\)$/);
    expect(entry.path).toBe(`${'w'.repeat(200)}…(+100)`);
  });

  it('an unexpected error: its stack with the message line cut, and the cause; never the properties it carries', () => {
    const cause = new Error('connection reset');
    const failure = Object.assign(new Error(`INSERT failed for ${'p'.repeat(1000)}`, { cause }), {
      code: 'SQLITE_IOERR',
      parameters: ['the opinion text the client sent', 'x'.repeat(10_000)],
    });
    const entry = errorForLog(located(failure));
    expect(entry).toMatchObject({
      type: 'Error',
      code: 'SQLITE_IOERR',
      path: 'units.0.parent',
      cause: { type: 'Error', message: 'connection reset' },
    });
    expect(entry.stack).toMatch(/^Error: INSERT failed for p+…\(\+\d+\)\n {4}at /);
    expect(JSON.stringify(entry)).not.toContain('the opinion text the client sent');
  });

  it('something thrown that is not an Error is described, cut', () => {
    expect(errorForLog('x'.repeat(300))).toEqual({ type: 'string', message: `${'x'.repeat(200)}…(+100)` });
  });
});

describe('boundedStack', () => {
  it('keeps at most 20 frames and says how many more there were', () => {
    const stack = ['Error: deep', ...Array.from({ length: 25 }, (_, i) => `    at frame${i} (file.js:${i}:1)`)].join(
      '\n',
    );
    const lines = boundedStack(stack).split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[20]).toBe('    at frame19 (file.js:19:1)');
    expect(lines[21]).toBe('    …(+5 frames)');
  });
});

describe('firstTimeLogged', () => {
  it('is true once per thrown error, however it is wrapped', () => {
    const thrown = new TypeError('x');
    expect(firstTimeLogged(thrown)).toBe(true);
    expect(firstTimeLogged(located(thrown))).toBe(false);
    expect(firstTimeLogged(located(new TypeError('x')))).toBe(true);
  });
});
