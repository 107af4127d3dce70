import {
  FragmentDefinitionNode,
  getNamedType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLInterfaceType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination.js';
import { ApiErrorCode, apiError } from './api-error-code.js';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  /** field selections after expanding fragments */
  maxFields: number;
  /** estimated resolved fields: a connection multiplies its selection by its page size */
  maxCost: number;
}

interface Tally {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
}

const ZERO: Tally = { depth: 0, aliases: 0, fields: 0, cost: 0 };
/** A fragment being expanded inside itself (a cycle; the spec's own rule reports it): counted as nothing here. */
const IN_PROGRESS = Symbol('in progress');

function pageSizeOf(node: { arguments?: readonly { name: { value: string }; value: { kind: Kind; value?: string } }[] }, connection: boolean): number {
  const first = node.arguments?.find((a) => a.name.value === 'first');
  if (!first) return connection ? DEFAULT_PAGE_SIZE : 1;
  if (first.value.kind === Kind.INT) return Math.max(1, Math.min(Number(first.value.value), MAX_PAGE_SIZE));
  return MAX_PAGE_SIZE; // a variable: charged at the largest page it could ask for
}

/**
 * Refuses, at validation (before any resolver runs), documents deeper than maxDepth, with more than maxAliases
 * aliases, more than maxFields field selections or an estimated cost above maxCost — counted with fragments
 * expanded, so a fragment spread a thousand times counts a thousand times.
 */
export function documentLimitsRule(limits: DocumentLimits): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const schema = context.getSchema();

    const tallySet = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, memo: Map<string, Tally | typeof IN_PROGRESS>): Tally => {
      const total: Tally = { ...ZERO };
      for (const selection of set.selections) {
        let part: Tally;
        if (selection.kind === Kind.FIELD) {
          const fieldType =
            parent && (isObjectType(parent) || isInterfaceType(parent))
              ? (parent as GraphQLObjectType | GraphQLInterfaceType).getFields()[selection.name.value]?.type
              : undefined;
          const named = fieldType ? getNamedType(fieldType) : undefined;
          const child = selection.selectionSet ? tallySet(selection.selectionSet, named, memo) : ZERO;
          const multiplier = pageSizeOf(selection as never, named?.name.endsWith('Connection') ?? false);
          part = {
            depth: 1 + child.depth,
            aliases: (selection.alias ? 1 : 0) + child.aliases,
            fields: 1 + child.fields,
            cost: 1 + multiplier * child.cost,
          };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          part = tallySet(selection.selectionSet, type ?? undefined, memo);
        } else {
          const name = selection.name.value;
          const known = memo.get(name);
          if (known === IN_PROGRESS) part = ZERO;
          else if (known) part = known;
          else {
            const fragment = fragments.get(name);
            if (!fragment) part = ZERO;
            else {
              memo.set(name, IN_PROGRESS);
              part = tallySet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, memo);
              memo.set(name, part);
            }
          }
        }
        total.depth = Math.max(total.depth, part.depth);
        total.aliases += part.aliases;
        total.fields += part.fields;
        total.cost += part.cost;
      }
      return total;
    };

    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const tally = tallySet(operation.selectionSet, root ?? undefined, new Map());
        const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
        const refuse = (what: string, actual: number, max: number) =>
          context.reportError(apiError(ApiErrorCode.DOCUMENT_TOO_COMPLEX, `${name} has ${what} ${actual}; at most ${max} allowed.`, { nodes: [operation] }));
        if (tally.depth > limits.maxDepth) refuse('a depth of', tally.depth, limits.maxDepth);
        if (tally.aliases > limits.maxAliases) refuse('aliases:', tally.aliases, limits.maxAliases);
        if (tally.fields > limits.maxFields) refuse('field selections:', tally.fields, limits.maxFields);
        if (tally.cost > limits.maxCost) refuse('an estimated cost of', tally.cost, limits.maxCost);
        return false;
      },
    };
  };
}
