import {
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { apiError, ApiErrorCode } from '../common/results/api-error-code.js';

/**
 * Mercurius executes a subscription document without validating it: this hook validates it as an HTTP document is
 * validated (GraphQL's rules and the service's document limits) before anything subscribes. A document sent as a
 * JSON AST that is not a valid one is refused like any invalid document.
 */
export function validateSubscriptionDocument(rules: readonly ValidationRule[]) {
  const all = [...specifiedRules, ...rules];
  return async (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, document, all);
    } catch {
      throw apiError(ApiErrorCode.BAD_USER_INPUT, 'the subscription document is not a valid GraphQL document.');
    }
    if (errors.length > 0) throw errors[0];
  };
}
