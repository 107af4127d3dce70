import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { chargeOf, FieldCharge } from './field-charges.js';

/** What a selection adds up to, with fragments expanded. */
export interface Tally {
  depth: number;
  aliases: number;
  fields: number;
  /** the charged cost: weights of field-charges.ts, pages multiplied */
  cost: number;
}

const ZERO: Tally = { depth: 0, aliases: 0, fields: 0, cost: 0 };
/** A fragment being expanded inside itself (a cycle; the spec's own rule reports it): counted as nothing here. */
const IN_PROGRESS = Symbol('in progress');

function pageSize(argument: ValueNode | undefined, page: NonNullable<FieldCharge['page']>): number {
  if (!argument) return page.default;
  if (argument.kind === Kind.INT) return Math.max(1, Math.min(Number(argument.value), page.max));
  return page.max; // a variable: charged at the largest page it could ask for
}

/**
 * Tallies selections of one document. Each fragment is tallied once and its tally reused wherever it is spread, so
 * the work is linear in the document's size even when fragments spread each other exponentially. Works on documents
 * not validated yet (unknown fields and types count as ordinary fields, unknown fragments as nothing).
 */
export class DocumentTally {
  private readonly memo = new Map<string, Tally | typeof IN_PROGRESS>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  ofField(field: FieldNode, parent: GraphQLNamedType | undefined): Tally {
    const fieldType =
      parent && (isObjectType(parent) || isInterfaceType(parent))
        ? parent.getFields()[field.name.value]?.type
        : undefined;
    const named = fieldType ? getNamedType(fieldType) : undefined;
    const charge = chargeOf(parent?.name ?? '', field.name.value, named?.name);
    const child = field.selectionSet ? this.ofSelectionSet(field.selectionSet, named) : ZERO;
    const items = charge.page
      ? pageSize(field.arguments?.find((a) => a.name.value === 'first')?.value, charge.page)
      : 1;
    return {
      depth: 1 + child.depth,
      aliases: (field.alias ? 1 : 0) + child.aliases,
      fields: 1 + child.fields,
      cost: charge.weight + items * child.cost,
    };
  }

  ofSelectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined): Tally {
    const total: Tally = { ...ZERO };
    for (const selection of set.selections) {
      let part: Tally;
      if (selection.kind === Kind.FIELD) part = this.ofField(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        part = this.ofSelectionSet(selection.selectionSet, type ?? undefined);
      } else part = this.ofFragment(selection.name.value);
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.cost += part.cost;
    }
    return total;
  }

  private ofFragment(name: string): Tally {
    const known = this.memo.get(name);
    if (known === IN_PROGRESS) return ZERO;
    if (known) return known;
    const fragment = this.fragments.get(name);
    if (!fragment) return ZERO;
    this.memo.set(name, IN_PROGRESS);
    const tally = this.ofSelectionSet(
      fragment.selectionSet,
      this.schema.getType(fragment.typeCondition.name.value) ?? undefined,
    );
    this.memo.set(name, tally);
    return tally;
  }
}

/** Charged costs of fields already tallied: a document is kept (and its nodes reused) by Mercurius's cache. */
const costs = new WeakMap<FieldNode, number>();

/**
 * The charged cost of one field where it stands in an executing operation (the rate limit's charge of a root
 * field), from the execution's schema, parent type and fragments. Remembered per field node.
 */
export function costOfField(
  field: FieldNode,
  parent: GraphQLNamedType,
  schema: GraphQLSchema,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): number {
  let cost = costs.get(field);
  if (cost === undefined) {
    cost = new DocumentTally(schema, new Map(Object.entries(fragments))).ofField(field, parent).cost;
    costs.set(field, cost);
  }
  return cost;
}
