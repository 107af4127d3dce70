import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import { formatErrorsLoggedOnce, logGraphQLErrors, logUnexpectedError } from './graphql-error-log.js';

function recordingLogger() {
  const calls: { level: 'info' | 'error'; entry: Record<string, unknown>; msg?: string }[] = [];
  return {
    calls,
    info: (entry: Record<string, unknown>, msg?: string) => calls.push({ level: 'info', entry, msg }),
    error: (entry: Record<string, unknown>, msg?: string) => calls.push({ level: 'error', entry, msg }),
  };
}

const refusal = (code: string, i: number) =>
  new GraphQLError(`refused ${i}`, {
    path: [`a${i}`],
    originalError: new GraphQLError(`refused ${i}`, { extensions: { code } }),
  });

describe('logGraphQLErrors', () => {
  it('writes the expected errors of an answer as one line: how many, by code, and the first', () => {
    const log = recordingLogger();
    const errors = [...Array.from({ length: 299 }, (_, i) => refusal('FORBIDDEN', i)), refusal('RATE_LIMITED', 299)];
    logGraphQLErrors(log as never, errors, 'Dashboard');
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]).toEqual({
      level: 'info',
      entry: {
        operationName: 'Dashboard',
        errorCount: 300,
        codes: { FORBIDDEN: 299, RATE_LIMITED: 1 },
        err: errors[0],
      },
      msg: 'GraphQL answered with expected errors',
    });
  });

  it('counts the validation errors Mercurius wraps in one', () => {
    const log = recordingLogger();
    const inner = [
      new GraphQLError('Cannot query field "x" on type "Query".'),
      new GraphQLError('too deep', { extensions: { code: 'DOCUMENT_TOO_COMPLEX' } }),
    ];
    const wrapper = new GraphQLError('Graphql validation error', {
      originalError: Object.assign(new Error('Graphql validation error'), { statusCode: 400, errors: inner }),
    });
    logGraphQLErrors(log as never, [wrapper]);
    expect(log.calls.map((c) => c.entry.codes)).toEqual([{ GRAPHQL_VALIDATION_FAILED: 1, DOCUMENT_TOO_COMPLEX: 1 }]);
  });

  it('writes each unexpected error once, at error level, apart from the expected ones', () => {
    const log = recordingLogger();
    const bug = new TypeError('x is undefined');
    const seenByTheFilter = new RangeError('already logged');
    logUnexpectedError(log as never, seenByTheFilter, { path: 'unit' });
    logGraphQLErrors(log as never, [
      new GraphQLError(bug.message, { originalError: bug }),
      new GraphQLError('again', { originalError: seenByTheFilter }),
      refusal('FORBIDDEN', 0),
    ]);
    expect(log.calls.map((c) => [c.level, (c.entry.err as GraphQLError).message])).toEqual([
      ['error', 'already logged'],
      ['error', 'x is undefined'],
      ['info', 'refused 0'],
    ]);
  });

  it('a mutation sent by GET is the client mistake: Mercurius holds a plain Error in a 405 error, logged as one info line', () => {
    const log = recordingLogger();
    const holder = Object.assign(new Error('Method not allowed'), {
      statusCode: 405,
      errors: [new Error('Operation cannot be performed via a GET request')],
    });
    logGraphQLErrors(log as never, [new GraphQLError('Method not allowed', { originalError: holder })], 'B');
    expect(log.calls.map((c) => c.level)).toEqual(['info']);
    expect(log.calls[0].entry.errorCount).toBe(1);
  });

  it('writes nothing for an answer without errors', () => {
    const log = recordingLogger();
    logGraphQLErrors(log as never, []);
    expect(log.calls).toEqual([]);
  });
});

describe('formatErrorsLoggedOnce', () => {
  it("formats as Mercurius's default formatter does, logging through logGraphQLErrors only", () => {
    const log = recordingLogger();
    const request = { method: 'POST', body: { operationName: 'Probe' } };
    const execution = { data: null, errors: [refusal('FORBIDDEN', 0)] };
    const result = formatErrorsLoggedOnce(execution as never, { reply: { log, request } } as never);
    expect(result).toEqual(
      mercurius.defaultErrorFormatter(execution as never, { reply: { log: recordingLogger() } } as never),
    );
    expect(result.response.errors).toEqual([{ message: 'refused 0', path: ['a0'], extensions: { code: 'FORBIDDEN' } }]);
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0].entry).toMatchObject({ operationName: 'Probe', errorCount: 1 });
  });
});
