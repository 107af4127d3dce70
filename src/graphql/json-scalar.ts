import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { ApiErrorCode } from '../common/results/api-error-code.js';

/** The most characters of JSON a JSON argument may carry (a rulebook change is a few KiB). */
export const MAX_JSON_CHARS = 65_536;

function checked(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined)
    throw new GraphQLError('JSON must be a JSON value.', { extensions: { code: ApiErrorCode.BAD_USER_INPUT } });
  if (text.length > MAX_JSON_CHARS)
    throw new GraphQLError(`JSON is limited to ${MAX_JSON_CHARS} characters, got ${text.length}.`, {
      extensions: { code: ApiErrorCode.BAD_USER_INPUT },
    });
  return value;
}

/** Any JSON value (an object, a list, a string, a number, a boolean or null), as a variable or a literal. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (at most 65,536 characters of JSON).',
  serialize: (value) => value,
  parseValue: checked,
  parseLiteral: (ast: ValueNode, variables) => {
    if (ast.kind === Kind.VARIABLE) return checked(variables?.[ast.name.value]);
    return checked(valueFromASTUntyped(ast, variables));
  },
});
