import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  isObjectType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  validate,
} from 'graphql';
import type { Principal } from '../../src/auth/principal.js';
import { costOfField } from '../../src/graphql/document-cost.js';
import { documentLimitsRule, type DocumentLimits } from '../../src/graphql/document-limits.js';
import { chargeOf } from '../../src/graphql/field-charges.js';
import { errorCodes, pool, raw } from '../support/security-http.js';
import { Prng } from '../support/security-fuzz.js';
import { startTestApp, TestApp } from '../support/test-app.js';

/** The served schema as checked in (a contract test fails when the two drift). */
const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.graphql'), 'utf8'));
const AUDITOR: Principal = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null };
const UNIT = '"0190a0a0-0000-7000-8000-000000000000"';
/** Query fields that read (generated documents never write), with the arguments they need. */
const REQUIRED_ARGS: Record<string, string> = { unitId: UNIT, id: UNIT, at: '"2014-03-02T00:00:00Z"' };

/**
 * Random query documents over the real schema: nested selections, aliases, page sizes as literals, variables or
 * absent, inline fragments on union members, named fragments spread more than once (and inside each other).
 */
class DocumentGenerator {
  private fragments: string[] = [];
  private usesPageVariable = false;

  constructor(private readonly r: Prng) {}

  document(): string {
    this.fragments = [];
    this.usesPageVariable = false;
    const selection = this.selection(schema.getQueryType()!, this.r.int(1, 6));
    const head = this.usesPageVariable ? 'query Generated($n: Int)' : 'query Generated';
    return `${head} { ${selection} } ${this.fragments.join(' ')}`;
  }

  private selection(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields()).filter((f) => f.name !== 'machineDiagram' || this.r.chance(0.2));
    const parts: string[] = [];
    for (let i = this.r.int(1, 4); i > 0; i--) parts.push(this.field(this.r.pick(fields), depth));
    if (type.name !== 'Query' && this.r.chance(0.25)) {
      const name = `F${this.fragments.length}`;
      this.fragments.push(''); // reserve the name: fragments may spread fragments
      this.fragments[Number(name.slice(1))] =
        `fragment ${name} on ${type.name} { ${this.field(this.r.pick(fields), depth)} }`;
      for (let i = this.r.int(1, 3); i > 0; i--) parts.push(`...${name}`);
    }
    return parts.join(' ');
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const args: string[] = [];
    for (const arg of field.args) {
      if (REQUIRED_ARGS[arg.name] && (arg.type.toString().endsWith('!') || this.r.chance(0.5)))
        args.push(`${arg.name}: ${REQUIRED_ARGS[arg.name]}`);
      if (arg.name === 'first' && this.r.chance(0.7)) {
        if (this.r.chance(0.2)) {
          this.usesPageVariable = true;
          args.push('first: $n');
        } else args.push(`first: ${this.r.int(0, 150)}`);
      }
    }
    const alias = this.r.chance(0.2) ? `a${this.r.int(0, 99)}x${this.r.int(0, 9999)}: ` : '';
    const head = `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
    const named = getNamedType(field.type);
    if (isObjectType(named)) return `${head} { ${depth > 1 ? this.selection(named, depth - 1) : '__typename'} }`;
    if (isUnionType(named))
      return `${head} { ${named
        .getTypes()
        .map((t) => `... on ${t.name} { __typename }`)
        .join(' ')} }`;
    return head;
  }
}

interface Totals {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
}

/** The reference: every fragment spread expanded again where it stands, no memo, nothing shared with DocumentTally. */
function reference(
  set: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
): Totals {
  const totals: Totals = { depth: 0, aliases: 0, fields: 0, cost: 0 };
  const add = (t: Totals) => {
    totals.depth = Math.max(totals.depth, t.depth);
    totals.aliases += t.aliases;
    totals.fields += t.fields;
    totals.cost += t.cost;
  };
  for (const s of set.selections) {
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(s.name.value)!;
      add(reference(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)!, fragments));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      add(reference(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value)! : parent, fragments));
    } else {
      const type = parent && isObjectType(parent) ? getNamedType(parent.getFields()[s.name.value]?.type) : undefined;
      const inner = s.selectionSet
        ? reference(s.selectionSet, type, fragments)
        : { depth: 0, aliases: 0, fields: 0, cost: 0 };
      const charge = chargeOf(parent?.name ?? '', s.name.value, type?.name);
      const first = s.arguments?.find((a) => a.name.value === 'first')?.value;
      const items = !charge.page
        ? 1
        : !first
          ? charge.page.default
          : first.kind === Kind.INT
            ? Math.min(Math.max(1, Number(first.value)), charge.page.max)
            : charge.page.max;
      add({
        depth: 1 + inner.depth,
        aliases: (s.alias ? 1 : 0) + inner.aliases,
        fields: 1 + inner.fields,
        cost: charge.weight + items * inner.cost,
      });
    }
  }
  return totals;
}

function parts(document: DocumentNode) {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { fragments, operation, totals: reference(operation.selectionSet, schema.getQueryType()!, fragments) };
}

const within = (t: Totals, l: DocumentLimits) =>
  t.depth <= l.maxDepth && t.aliases <= l.maxAliases && t.fields <= l.maxFields && t.cost <= l.maxCost;

describe('document limits, property: accepted ⇔ the charged totals are within every limit', () => {
  it('3,000 generated documents under random limits: accepted ones within, refused ones DOCUMENT_TOO_COMPLEX and over', () => {
    const r = new Prng(0xd0c11);
    const generator = new DocumentGenerator(r);
    const outcomes = { accepted: 0, refused: 0 };
    const disagreements: unknown[] = [];
    for (let i = 0; i < 3000 && disagreements.length < 5; i++) {
      const source = generator.document();
      const document = parse(source);
      const limits: DocumentLimits = {
        maxDepth: r.int(2, 8),
        maxAliases: r.int(0, 6),
        maxFields: r.int(5, 300),
        maxCost: r.pick([50, 500, 5000, 20_000, 50_000]),
      };
      const { fragments, operation, totals } = parts(document);
      const errors = validate(schema, document, [documentLimitsRule(limits)]);
      const accepted = errors.length === 0;
      outcomes[accepted ? 'accepted' : 'refused']++;
      if (accepted !== within(totals, limits)) disagreements.push({ i, source, limits, totals, accepted });
      if (errors.some((e) => e.extensions.code !== 'DOCUMENT_TOO_COMPLEX'))
        disagreements.push({ i, source, errors: errors.map((e) => e.message) });
      // the rate limit charges root fields what the document limit counted: the same cost, field by field
      const fragmentsByName = Object.fromEntries(fragments);
      const rootFields: FieldNode[] = [];
      const collect = (set: SelectionSetNode) => {
        for (const s of set.selections) {
          if (s.kind === Kind.FIELD) rootFields.push(s);
          else if (s.kind === Kind.FRAGMENT_SPREAD) collect(fragments.get(s.name.value)!.selectionSet);
          else collect(s.selectionSet);
        }
      };
      collect(operation.selectionSet);
      const charged = rootFields.reduce(
        (sum, f) => sum + costOfField(f, schema.getQueryType()!, schema, fragmentsByName),
        0,
      );
      if (charged !== totals.cost) disagreements.push({ i, source, charged, cost: totals.cost });
    }
    expect(disagreements).toEqual([]);
    // both outcomes were exercised, plenty of each
    expect(outcomes.accepted).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(500);
  });

  describe('over HTTP', () => {
    const LIMITS: DocumentLimits = { maxDepth: 6, maxAliases: 3, maxFields: 120, maxCost: 5000 };
    let sut: TestApp;
    beforeAll(async () => {
      sut = await startTestApp({ graphql: LIMITS });
    });
    afterAll(async () => {
      await sut?.close();
    });

    it('300 generated documents: within the limits → no DOCUMENT_TOO_COMPLEX; over → only DOCUMENT_TOO_COMPLEX, no data', async () => {
      const generator = new DocumentGenerator(new Prng(0x5eed));
      const sources = Array.from({ length: 300 }, () => generator.document());
      const results = await pool(
        sources.map((source) => async () => {
          const answer = await raw(sut, { as: AUDITOR, body: { query: source, variables: { n: 7 } } });
          return { source, answer, expected: within(parts(parse(source)).totals, LIMITS) };
        }),
        4,
      );
      let refused = 0;
      for (const { source, answer, expected } of results) {
        const codes = errorCodes(answer.json);
        if (expected)
          expect({ source, codes }).not.toEqual({ source, codes: expect.arrayContaining(['DOCUMENT_TOO_COMPLEX']) });
        else {
          refused++;
          expect({ source, codes: [...new Set(codes)], data: answer.json.data }).toEqual({
            source,
            codes: ['DOCUMENT_TOO_COMPLEX'],
            data: null,
          });
        }
      }
      expect(refused).toBeGreaterThan(30);
      expect(refused).toBeLessThan(270);
    });
  });
});
