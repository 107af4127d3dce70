import type { Principal } from '../../src/auth/principal.js';
import type { RawRequest } from './security-http.js';

/** mulberry32: a small seeded PRNG, so that a failing document can be regenerated from its index. */
export class Prng {
  constructor(private state: number) {}
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  ascii(
    length: number,
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ {}()[]:$!@#.,"\\\'\n\t-+=*&^%',
  ): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  name(): string {
    return (
      this.pick(['_', 'a', 'x', 'Q', 'unit', 'node', 'z']) +
      this.ascii(this.int(0, 8), 'abcdefghijklmnopqrstuvwxyz0123456789_')
    );
  }
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

export interface FuzzContext {
  unitIds: string[];
  admin: Principal;
  officer: Principal;
}

export interface FuzzCase {
  kind: string;
  request: RawRequest;
}

const HEADER_SAFE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=/+ ';

type Generator = (r: Prng, c: FuzzContext) => RawRequest;

const json = (query: unknown, variables?: unknown, extra: Record<string, unknown> = {}) => ({
  body: { query, variables, ...extra },
});

const FIELDS_OF_UNIT = [
  'opinions { edges { node { id text } } }',
  'problems { edges { cursor } }',
  'findings { pageInfo { hasNextPage } }',
  'id',
  'name',
  'kind',
  'depth',
  'leaderCount',
  'createdAt',
  'status { phase version }',
  'transitions { event allowed blockers { code } }',
  'history { edges { node { seq } } }',
  'children { edges { node { id } } }',
  'parent { id }',
  'attempts { pageInfo { hasNextPage endCursor } }',
  'progress { met }',
];

const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  '',
  ' ',
  '0',
  'null',
  'NaN',
  'Infinity',
  '-1',
  '2014-13-45T25:61:00Z',
  '9999999-01-01T00:00:00Z',
  'not a date',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  [],
  [[[]]],
  {},
  { id: 'x' },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  'a'.repeat(5000),
];

const MUTATIONS: Record<string, (r: Prng, c: FuzzContext) => Record<string, unknown>> = {
  createUnit: (r, c) => ({
    name: r.ascii(r.int(0, 30)),
    kind: r.pick(['GRASSROOTS', 'DIRECT_UNIT', 'BOGUS', 7]),
    parentId: r.pick([...c.unitIds, null, r.ascii(10)]),
    leaderCount: r.pick([0, -5, 1e9, 3]),
  }),
  sendEvent: (r, c) => ({
    unitId: r.pick(c.unitIds),
    event: r.pick(['LAUNCH', 'COMPLETE_STUDY', 'CONCLUDE_LOOKBACK', 'DROP', r.ascii(12)]),
    expectedVersion: r.pick([undefined, -1, 0, 2 ** 31 - 1]),
    idempotencyKey: r.pick([undefined, '', r.ascii(300)]),
  }),
  recordStudySession: (r, c) => ({
    unitId: r.pick(c.unitIds),
    format: r.pick(['SELF_STUDY', 'CONCENTRATED', 'X']),
    occurredAt: r.pick(['2014-03-01T00:00:00Z', 'yesterday', '1970-01-01T00:00:00Z']),
    hours: r.pick([1, -1, 1e300, 0.0001]),
    attendees: r.pick([0, 5, -3, 2 ** 31 - 1]),
  }),
  recordOpinion: (r, c) => ({
    targetUnitId: r.pick(c.unitIds),
    collectedByUnitId: r.pick([...c.unitIds, r.ascii(36)]),
    channel: r.pick(['PHONE', 'EMAIL']),
    category: r.pick(['WORK', 'FORMALISM', 'Z']),
    text: r.ascii(r.int(0, 3000)),
    occurredAt: '2014-03-01T00:00:00Z',
  }),
  identifyProblem: (r, c) => ({
    unitId: r.pick(c.unitIds),
    category: r.ascii(r.int(0, 40)),
    description: r.ascii(r.int(0, 400)),
    fixAtOnce: r.pick([true, false, 'yes']),
    dueAt: r.pick([null, '2014-03-01T00:00:00Z', 'later']),
    sourceOpinionId: r.pick([null, r.ascii(36)]),
  }),
  issueFinding: (r, c) => ({
    unitId: r.pick(c.unitIds),
    kind: r.pick(['LAZY_THINKING', 'NONE']),
    note: r.ascii(r.int(0, 100)),
  }),
  overrideTransition: (r, c) => ({
    unitId: r.pick(c.unitIds),
    event: r.pick(['LAUNCH', 'CONCLUDE_LOOKBACK', r.ascii(5)]),
    reason: r.pick(['', ' ', r.ascii(50)]),
  }),
  sendEventToSubtree: (r, c) => ({
    rootId: r.pick(c.unitIds),
    event: r.pick(['LAUNCH', 'X']),
    kinds: r.pick([null, [], ['GRASSROOTS'], ['BAD'], Array(200).fill('GRASSROOTS')]),
  }),
};

/** Each returns a malformed or hostile request; none is meant to be served. */
const GENERATORS: Record<string, Generator> = {
  deepNesting: (r) => {
    const depth = r.pick([16, 50, 200, 1000, 5000, 20000, 60000]);
    if (r.chance(0.5)) return json(`{ unit(id: "x") { ${'parent { '.repeat(depth)}id${' }'.repeat(depth)} } }`);
    return json(`${'{ a '.repeat(depth)}${r.chance(0.5) ? '}'.repeat(depth) : ''}`);
  },
  deepArgumentLiteral: (r) => {
    const depth = r.pick([10, 500, 5000, 50000]);
    const open = r.pick(['[', '{ a: ']);
    return json(
      `{ units(first: ${open.repeat(depth)}1${(open === '[' ? ']' : ' }').repeat(depth)}) { edges { node { id } } } }`,
    );
  },
  deepVariables: (r) => {
    const depth = r.pick([10, 1000, 10000, 100000]);
    const body = `{"query":"query($k: [UnitKind]) { units(kind: $k) { edges { node { id } } } }","variables":{"k":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    return { body };
  },
  aliasFlood: (r, c) => {
    const n = r.pick([51, 100, 1000, 3000]);
    const field = r.pick([
      '__typename',
      `unit(id: "${r.pick(c.unitIds)}") { id }`,
      'machineDiagram',
      'units { edges { node { id } } }',
    ]);
    return json(`{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`);
  },
  fieldFlood: (r) => json(`{ unit(id: "x") { ${'id '.repeat(r.pick([1001, 5000, 20000]))}} }`),
  fragmentFanOut: (r) => {
    const levels = r.int(5, 40);
    const fragments = [
      'fragment F0 on Query { a: __typename }',
      ...Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`),
    ];
    return json(`{ ...F${levels} } ${fragments.join(' ')}`);
  },
  cyclicFragments: (r) => {
    const n = r.int(1, 6);
    const fragments = Array.from({ length: n }, (_, i) => `fragment C${i} on Unit { id ...C${(i + 1) % n} }`);
    return json(`{ unit(id: "x") { ...C0 } } ${fragments.join(' ')}`);
  },
  hugeString: (r) => {
    const size = r.pick([100_000, 400_000, 900_000]);
    const s = r
      .ascii(200, 'abcdefghijklmnopqrstuvwxyz')
      .repeat(Math.ceil(size / 200))
      .slice(0, size);
    return r.chance(0.5)
      ? json(`mutation { createUnit(input: { name: "${s}", kind: GRASSROOTS }) { __typename } }`)
      : json(
          'mutation($i: RecordOpinionInput!) { recordOpinion(input: $i) { __typename ... on InvalidInput { field message } } }',
          {
            i: {
              targetUnitId: 'x',
              collectedByUnitId: 'x',
              channel: 'PHONE',
              category: 'WORK',
              text: s,
              occurredAt: '2014-03-01T00:00:00Z',
            },
          },
        );
  },
  wrongVariableTypes: (r, c) => {
    const [query, names] = r.pick([
      ['query($id: ID!) { unit(id: $id) { id } }', ['id']],
      ['query($n: Int, $a: String) { units(first: $n, after: $a) { edges { node { id } } } }', ['n', 'a']],
      ['query($k: UnitKind, $p: String) { units(kind: $k, phase: $p) { edges { node { id } } } }', ['k', 'p']],
      ['query($u: ID!, $at: DateTime!) { unitAsOf(unitId: $u, at: $at) { phase } }', ['u', 'at']],
      ['query($u: ID!, $t: DateTime) { replay(unitId: $u, until: $t) { diverged } }', ['u', 't']],
      [
        'query($id: ID!, $n: Int) { unit(id: $id) { history(first: $n) { edges { node { seq } } } children(first: $n) { edges { node { id } } } } }',
        ['id', 'n'],
      ],
    ] as const);
    const variables: Record<string, unknown> = {};
    for (const n of names) variables[n] = r.chance(0.3) ? r.pick(c.unitIds) : r.pick(WEIRD_VALUES);
    return json(query, variables);
  },
  mutationInputs: (r, c) => {
    const name = r.pick(Object.keys(MUTATIONS));
    const input = MUTATIONS[name](r, c);
    if (r.chance(0.3)) input[r.name()] = r.pick(WEIRD_VALUES);
    if (r.chance(0.2)) delete input[r.pick(Object.keys(input))];
    const type = name.charAt(0).toUpperCase() + name.slice(1) + 'Input';
    return {
      ...json(`mutation($i: ${type}!) { ${name}(input: $i) { __typename } }`, { i: input }),
      as: r.chance(0.5) ? c.admin : c.officer,
    };
  },
  unknownFields: (r) => {
    const depth = r.int(1, 4);
    let doc = r.name();
    for (let i = 0; i < depth; i++)
      doc = `${r.name()}${r.chance(0.3) ? `(${r.name()}: ${r.pick(['1', '"x"', 'true', 'null', '[1]', '{a: 1}', '$v'])})` : ''} { ${doc} }`;
    return json(`${r.pick(['', 'query ', 'mutation ', 'subscription '])}{ ${doc} }`);
  },
  wellFormedReads: (r, c) => {
    const fields = Array.from({ length: r.int(1, 5) }, () => r.pick(FIELDS_OF_UNIT)).join(' ');
    const query = r.pick([
      `{ unit(id: "${r.pick(c.unitIds)}") { ${fields} } }`,
      `{ units(first: ${r.int(-5, 120)}) { edges { node { ${fields} } } } }`,
      `{ unitAsOf(unitId: "${r.pick(c.unitIds)}", at: "2014-03-02T00:00:00Z") { phase } }`,
    ]);
    return { ...json(query), as: r.pick([c.admin, c.officer]) };
  },
  randomText: (r) => json(r.ascii(r.int(1, 2000))),
  randomBytes: (r) => ({ body: r.bytes(r.int(1, 4000)) }),
  invalidJson: (r) => ({
    body: r.pick([
      '{"query": "{ __typename }"',
      '{"query": }',
      "{'query': '{ __typename }'}",
      '{"query": "{ __typename }"} trailing',
      '{"query": NaN}',
      '{"query": "\\x00"}',
      '{"query": "{ __typename }", "variables": {"a": 1,}}',
      '',
      ' ',
      '{',
      '}',
      '{"query": "' + '\\'.repeat(r.int(1, 5)) + '"}',
      '{"__proto__": {"query": "{ __typename }"}}',
      '{"constructor": {"prototype": {"query": 1}}, "query": "{ __typename }"}',
      r.ascii(r.int(1, 300)),
    ]),
  }),
  nonObjectBody: (r) => ({
    body: r.pick([
      'null',
      '[]',
      '42',
      '"{ __typename }"',
      'true',
      '[[]]',
      '[{"query":"{ __typename }"}]',
      '[' + '{"query":"{ __typename }"},'.repeat(100) + '{}]',
      '-0',
      '1e999',
    ]),
  }),
  badParams: (r) =>
    json(
      r.pick(['{ __typename }', '', '   ', null, 7, ['{ __typename }'], { query: '{ __typename }' }]),
      r.pick([undefined, null, 'x', [1], 5, { a: 1 }]),
      {
        operationName: r.pick([undefined, null, 'Nope', 5, ['a'], { a: 1 }]),
        extensions: r.pick([undefined, null, 'x', [], { persistedQuery: { version: 1, sha256Hash: 'abc' } }]),
      },
    ),
  brokenUtf8: (r) => {
    const prefix = Buffer.from('{"query":"{ unit(id: \\"');
    const junk = Buffer.from(
      r.pick([[0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0x28], [0xe2, 0x82], [0x80], [0x00]]),
    );
    return { body: new Uint8Array(Buffer.concat([prefix, junk, Buffer.from('\\") { id } }"}')])) };
  },
  loneSurrogates: (r) => ({
    body: `{"query":"{ unit(id: \\"${r.pick(['\\ud800', '\\udfff', '\\ud83d\\u0041', '\\u0000'])}\\") { id name } }"}`,
  }),
  hugeInts: (r) =>
    json(
      r.pick([
        `{ units(first: ${'9'.repeat(r.int(10, 400))}) { edges { node { id } } } }`,
        `{ units(first: -${'9'.repeat(r.int(10, 40))}) { edges { node { id } } } }`,
        `{ unit(id: ${'9'.repeat(r.int(1, 400))}) { history(first: 2147483648) { edges { node { seq } } } } }`,
        `{ units(first: 1e400) { edges { node { id } } } }`,
        `{ units(first: 0x10) { edges { node { id } } } }`,
      ]),
    ),
  introspection: (r) =>
    json(
      r.pick([
        '{ __schema { types { name } } }',
        '{ __type(name: "Unit") { fields { name } } }',
        '{ unit(id: "x") { __typename } __schema { queryType { name } } }',
        'query { ...F } fragment F on Query { __schema { directives { name } } }',
      ]),
    ),
  directives: (r) =>
    json(
      r.pick([
        `{ __typename ${'@skip(if: false) '.repeat(r.int(2, 2000))}}`,
        '{ __typename @skip(if: "yes") }',
        '{ __typename @nope }',
        '{ __typename @include }',
        'query @skip(if: true) { __typename }',
        `{ unit(id: "x") @include(if: $v) { id } }`,
      ]),
    ),
  manyOperations: (r) => {
    const n = r.pick([2, 100, 1000]);
    const ops = Array.from({ length: n }, (_, i) => `query Q${i} { __typename }`).join(' ');
    return json(ops, undefined, { operationName: r.pick([undefined, 'Q1', `Q${n + 1}`, '']) });
  },
  getRequests: (r, c) => {
    const query = r.pick([
      `mutation { createUnit(input: { name: "x", kind: GRASSROOTS }) { __typename } }`,
      `{ unit(id: "${r.pick(c.unitIds)}") { id } }`,
      r.ascii(50),
      '{ __schema { types { name } } }',
    ]);
    const params = new URLSearchParams({ query });
    if (r.chance(0.5)) params.set('variables', r.pick(['{', 'null', '[]', '{"id": 1}', r.ascii(20)]));
    if (r.chance(0.3)) params.set('extensions', r.pick(['{', '[]', r.ascii(10)]));
    if (r.chance(0.2)) params.set('operationName', r.ascii(5));
    return { method: 'GET', search: params.toString(), contentType: null };
  },
  badHeaders: (r) => ({
    ...json('{ __typename }'),
    contentType: r.pick([
      'application/json; charset=latin1',
      'application/json;;;',
      'APPLICATION/JSON',
      'application/jsonp',
      'application/graphql-response+json',
      'text/json',
    ]),
    accept: r.pick([
      '*/*',
      'text/html',
      'application/graphql-response+json',
      'application/xml',
      '',
      r.ascii(20, HEADER_SAFE),
    ]),
  }),
};

const KINDS = Object.keys(GENERATORS);

/** Strings that must never appear in an answer: stack frames, our SQL, file paths. */
export const INTERNALS = [
  '    at ',
  'Maximum call stack',
  'Cannot read properties',
  'SELECT',
  'INSERT',
  'UPDATE ',
  'unit_events',
  'unit_states',
  'SQLITE',
  'sqlite',
  'no such table',
  'relation "',
  '/work/',
  'node_modules',
  '.ts:',
  '.js:',
];

/** The request as text (for the leak filter and for reports). */
export function describeRequest(request: RawRequest): string {
  const body =
    typeof request.body === 'string'
      ? request.body
      : request.body instanceof Uint8Array
        ? Buffer.from(request.body).toString('latin1')
        : JSON.stringify(request.body ?? '');
  return [request.method ?? 'POST', request.search ?? '', request.contentType ?? '', request.accept ?? '', body].join(
    ' ',
  );
}

function mentionsInternals(request: RawRequest): boolean {
  const text = describeRequest(request).toLowerCase();
  return INTERNALS.some((needle) => text.includes(needle.toLowerCase()));
}

/**
 * `count` hostile requests from `seed`, round-robin over the generators (every kind equally often); the token varies:
 * mostly an admin, sometimes a scoped officer, none, or garbage. A request that happens to contain one of
 * INTERNALS itself is regenerated, so that an echo of the input is never mistaken for a leak.
 */
export function fuzzCases(seed: number, count: number, context: FuzzContext): FuzzCase[] {
  const r = new Prng(seed);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length];
    let request: RawRequest;
    do {
      request = GENERATORS[kind](r, context);
      if (request.as === undefined) {
        const roll = r.next();
        request.as =
          roll < 0.7
            ? context.admin
            : roll < 0.8
              ? context.officer
              : roll < 0.9
                ? null
                : {
                    authorization: r.pick([
                      'Bearer ',
                      'Bearer a.b.c',
                      `Bearer ${r.ascii(40, HEADER_SAFE)}`,
                      'Basic x',
                      r.ascii(30, HEADER_SAFE),
                    ]),
                  };
      }
    } while (mentionsInternals(request));
    cases.push({ kind, request });
  }
  return cases;
}
