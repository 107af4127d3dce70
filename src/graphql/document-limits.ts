import { FragmentDefinitionNode, Kind, OperationDefinitionNode, ValidationContext, ValidationRule } from 'graphql';
import { ApiErrorCode, apiError } from '../common/results/api-error-code.js';
import { DocumentTally } from './document-cost.js';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  /** field selections after expanding fragments */
  maxFields: number;
  /** the charged cost (field-charges.ts): weights, connections and pages multiplying their selection */
  maxCost: number;
}

/**
 * Refuses, at validation (before any resolver runs), documents deeper than maxDepth, with more than maxAliases
 * aliases, more than maxFields field selections or a charged cost above maxCost — counted with fragments
 * expanded, so a fragment spread a thousand times counts a thousand times.
 */
export function documentLimitsRule(limits: DocumentLimits): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const schema = context.getSchema();
    const tally = new DocumentTally(schema, fragments);

    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const root =
          operation.operation === 'query'
            ? schema.getQueryType()
            : operation.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const total = tally.ofSelectionSet(operation.selectionSet, root ?? undefined);
        const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
        const refuse = (what: string, actual: number, max: number) =>
          context.reportError(
            apiError(ApiErrorCode.DOCUMENT_TOO_COMPLEX, `${name} has ${what} ${actual}; at most ${max} allowed.`, {
              nodes: [operation],
            }),
          );
        if (total.depth > limits.maxDepth) refuse('a depth of', total.depth, limits.maxDepth);
        if (total.aliases > limits.maxAliases) refuse('aliases:', total.aliases, limits.maxAliases);
        if (total.fields > limits.maxFields) refuse('field selections:', total.fields, limits.maxFields);
        if (total.cost > limits.maxCost) refuse('an estimated cost of', total.cost, limits.maxCost);
        return false;
      },
    };
  };
}
