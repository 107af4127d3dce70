import { ApiErrorCode } from '../common/results/api-error-code.js';
import { GraphQLError, GraphQLSchema, isScalarType, Kind, type ValueNode } from 'graphql';

/** RFC 3339 date-time (what DateTime's description promises): a date, a time, and Z or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  const date = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 date-time such as 2014-03-01T09:00:00Z, got ${JSON.stringify(value)?.slice(0, 100)}.`,
      {
        extensions: { code: ApiErrorCode.BAD_USER_INPUT },
      },
    );
  }
  return date;
}

/**
 * @nestjs/graphql's DateTime accepts anything `new Date()` does, an Invalid Date included, which then fails deep in
 * a resolver as an internal error. Parsing is made strict on the served schema: a bad date is the client's error.
 */
export function strictDateTime(schema: GraphQLSchema): GraphQLSchema {
  const type = schema.getType('DateTime');
  if (type && isScalarType(type)) {
    type.parseValue = parse;
    type.parseLiteral = (ast: ValueNode) => parse(ast.kind === Kind.STRING ? ast.value : undefined);
  }
  return schema;
}
