import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createHmac, randomUUID } from 'node:crypto';
import { signToken } from '../../src/auth/jwt.js';
import { COMMAND_POLICY, type CommandName } from '../../src/auth/policy.js';
import { ROLES, type Principal, type Role } from '../../src/auth/principal.js';
import { CampaignClient } from '../support/campaign-client.js';
import { errorCodes, pool, raw } from '../support/security-http.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';
import { UUID } from '../commands/command-support.js';
import { EXPECTED_ACCESS } from './expected-access.js';

/**
 * role × operation × where the target unit sits relative to the principal's scope, over HTTP. The expectations come
 * from the hand-written EXPECTED_ACCESS (never from COMMAND_POLICY, which is what is tested: a wrong entry there must
 * fail, not be copied); COMMAND_POLICY is read only to check that every entry of it is exercised. The tree: province
 * P → city A → county A1 → village V; P → city B → county B1. Scoped principals hold city A: own = A, descendant =
 * A1, ancestor = P, sibling = B; a fifth column is an unscoped principal.
 */
type Relation = 'own' | 'descendant' | 'ancestor' | 'sibling' | 'unscoped';
const RELATIONS: readonly Relation[] = ['own', 'descendant', 'ancestor', 'sibling', 'unscoped'];

interface Tree {
  P: string;
  A: string;
  A1: string;
  V: string;
  B: string;
  B1: string;
}

/** How the operation's permission depends on the tree: the target unit's subtree, nothing, or the whole tree. */
type ScopeRule = 'unit' | 'none' | 'whole-tree';

interface Request {
  query: string;
  variables: Record<string, unknown>;
  /** where the operation's value sits in `data` */
  path: string[];
}

interface Operation {
  name: string;
  policy: CommandName;
  /** the root field it exercises */
  root: string;
  scope: ScopeRule;
  build(target: string, relation: Relation, tree: Tree, now: string): Request;
}

const target = (relation: Relation, t: Tree): string =>
  ({ own: t.A, descendant: t.A1, ancestor: t.P, sibling: t.B, unscoped: t.V })[relation];

/** Unit.parent is about the parent: a unit whose parent has the relation (readable itself when it can be). */
const childOfTarget = (relation: Relation, t: Tree): string =>
  ({ own: t.A1, descendant: t.V, ancestor: t.A, sibling: t.B1, unscoped: t.V })[relation];

const UNION = '{ __typename }';

function mutation(
  name: string,
  input: (unitId: string, now: string) => Record<string, unknown>,
  policy: CommandName = name as CommandName,
): Operation {
  const inputType = name.charAt(0).toUpperCase() + name.slice(1) + 'Input';
  return {
    name: policy,
    policy,
    root: name,
    scope: 'unit',
    build: (unitId, _r, _t, now) => ({
      query: `mutation($input: ${inputType}!) { ${name}(input: $input) ${UNION} }`,
      variables: { input: input(unitId, now) },
      path: [name],
    }),
  };
}

function unitField(field: string, selection: string): Operation {
  return {
    name: `Unit.${field}`,
    policy: 'read',
    root: 'unit',
    scope: 'unit',
    build: (unitId) => ({
      query: `query($id: ID!) { unit(id: $id) { id ${field} ${selection} } }`,
      variables: { id: unitId },
      path: ['unit', field],
    }),
  };
}

const STAGE_EVENTS = [
  'LAUNCH',
  'COMPLETE_STUDY',
  'COMPLETE_LISTENING',
  'COMPLETE_CORRECTING',
  'REQUEST_LOOKBACK',
  'CONCLUDE_LOOKBACK',
] as const;

const OPERATIONS: Operation[] = [
  mutation('createUnit', (parentId) => ({ name: '新村', kind: 'GRASSROOTS', parentId })),
  mutation('fileStudyPlan', (unitId) => ({ unitId, topics: ['党章'], plannedDays: 5 })),
  mutation('recordStudySession', (unitId, now) => ({
    unitId,
    format: 'SELF_STUDY',
    occurredAt: now,
    hours: 1,
    attendees: 5,
  })),
  mutation('recordPartyLecture', (unitId, now) => ({ unitId, lecturer: '李书记', occurredAt: now })),
  mutation('recordFilmScreening', (unitId, now) => ({ unitId, title: '焦裕禄', occurredAt: now })),
  mutation('recordOpinion', (unitId, now) => ({
    targetUnitId: unitId,
    collectedByUnitId: unitId,
    channel: 'PHONE',
    category: 'WORK',
    text: '意见',
    occurredAt: now,
  })),
  mutation('claimOpinion', (unitId) => ({ unitId, opinionId: randomUUID() })),
  mutation('recordCollectiveDeliberation', (unitId, now) => ({ unitId, occurredAt: now, opinionsDiscussed: 1 })),
  mutation('identifyProblem', (unitId) => ({ unitId, category: '形式主义', description: '会议过多', fixAtOnce: true })),
  mutation('rectifyProblem', (unitId, now) => ({
    unitId,
    problemId: randomUUID(),
    action: '精简会议',
    occurredAt: now,
  })),
  mutation('issueFinding', (unitId) => ({ unitId, kind: 'LAZY_THINKING', note: '学习不深' })),
  mutation('resolveFinding', (unitId) => ({ unitId, findingId: randomUUID(), response: '已整改' })),
  mutation('recordLookBackVerdict', (unitId) => ({ unitId, item: 'STUDY', verdict: 'PASS', note: '好' })),
  mutation('overrideTransition', (unitId) => ({ unitId, event: 'CONCLUDE_LOOKBACK', reason: '紧急' })),
  mutation('sendEventToSubtree', (rootId) => ({ rootId, event: 'COMPLETE_STUDY' })),
  mutation('recordProvinceActivity', (unitId, now) => ({ unitId, activity: 'READ_ORIGINALS', occurredAt: now })),
  mutation('fileSelfAssessment', (unitId) => ({
    unitId,
    items: ['STUDY', 'LISTENING', 'COMBINED', 'STYLE'].map((item) => ({ item, rating: 'MET', text: '自评' })),
  })),
  mutation('migrateUnits', (rootId) => ({ rootId, toVersion: 2, dryRun: true })),
  ...STAGE_EVENTS.map((event) =>
    mutation('sendEvent', (unitId) => ({ unitId, event }), `sendEvent:${event}` as CommandName),
  ),
  mutation('sendEvent', (unitId) => ({ unitId, event: 'SKIP_AHEAD' }), 'sendEvent'),
  {
    name: 'createAuditCheckpoint',
    policy: 'createAuditCheckpoint',
    root: 'createAuditCheckpoint',
    scope: 'whole-tree',
    build: () => ({
      query: 'mutation { createAuditCheckpoint { __typename } }',
      variables: {},
      path: ['createAuditCheckpoint'],
    }),
  },
  {
    // an empty change: refused as data (RulebookRefused) once permitted, so the matrix publishes nothing
    name: 'publishRulebook',
    policy: 'publishRulebook',
    root: 'publishRulebook',
    scope: 'whole-tree',
    build: () => ({
      query: `mutation($input: PublishRulebookInput!) { publishRulebook(input: $input) ${UNION} }`,
      variables: { input: { basedOn: 1, changes: {}, reason: 'matrix' } },
      path: ['publishRulebook'],
    }),
  },
  {
    name: 'advanceClock',
    policy: 'advanceClock',
    root: 'advanceClock',
    scope: 'whole-tree',
    build: () => ({ query: 'mutation { advanceClock(days: 1) }', variables: {}, path: ['advanceClock'] }),
  },
  {
    name: 'unit',
    policy: 'read',
    root: 'unit',
    scope: 'unit',
    build: (id) => ({ query: 'query($id: ID!) { unit(id: $id) { id name } }', variables: { id }, path: ['unit'] }),
  },
  {
    name: 'units(parentId)',
    policy: 'read',
    root: 'units',
    scope: 'unit',
    build: (id) => ({
      query: 'query($id: ID) { units(parentId: $id) { edges { node { id } } } }',
      variables: { id },
      path: ['units'],
    }),
  },
  {
    name: 'units(underId)',
    policy: 'read',
    root: 'units',
    scope: 'unit',
    build: (id) => ({
      query: 'query($id: ID) { units(underId: $id) { edges { node { id } } } }',
      variables: { id },
      path: ['units'],
    }),
  },
  {
    name: 'Unit.parent',
    policy: 'read',
    root: 'unit',
    scope: 'unit',
    build: (_id, relation, tree) => ({
      query: 'query($id: ID!) { unit(id: $id) { id parent { id name } } }',
      variables: { id: childOfTarget(relation, tree) },
      path: ['unit', 'parent'],
    }),
  },
  unitField('children', '{ edges { node { id } } }'),
  unitField('history', '{ edges { node { seq type } } }'),
  unitField('status', '{ phase version }'),
  unitField('transitions', '{ event allowed }'),
  unitField('progress', '{ __typename }'),
  unitField('attempts', '{ edges { node { command } } }'),
  unitField('opinions', '{ edges { node { id } } }'),
  unitField('problems', '{ __typename }'),
  unitField('findings', '{ __typename }'),
  unitField('rollup', '{ units }'),
  ...(
    [
      ['rollup', 'query($id: ID!) { rollup(unitId: $id) { units } }'],
      ['laggards', 'query($id: ID!) { laggards(underId: $id) { edges { node { id } } } }'],
      ['rushing', 'query($id: ID!) { rushing(underId: $id) { edges { node { id } } } }'],
      ['report', 'query($id: ID!) { report(unitId: $id) }'],
    ] as const
  ).map(([root, query]): Operation => ({
    name: root,
    policy: 'read',
    root,
    scope: 'unit',
    build: (id) => ({ query, variables: { id }, path: [root] }),
  })),
  {
    name: 'replay',
    policy: 'replay',
    root: 'replay',
    scope: 'unit',
    build: (unitId) => ({
      query: 'query($id: ID!) { replay(unitId: $id) { diverged } }',
      variables: { id: unitId },
      path: ['replay'],
    }),
  },
  {
    name: 'verifyHistory',
    policy: 'verifyHistory',
    root: 'verifyHistory',
    scope: 'unit',
    build: (unitId) => ({
      query: 'query($id: ID!) { verifyHistory(unitId: $id) { ok } }',
      variables: { id: unitId },
      path: ['verifyHistory'],
    }),
  },
  {
    name: 'unitAsOf',
    policy: 'unitAsOf',
    root: 'unitAsOf',
    scope: 'unit',
    build: (unitId, _r, _t, now) => ({
      query: 'query($id: ID!, $at: DateTime!) { unitAsOf(unitId: $id, at: $at) { phase } }',
      variables: { id: unitId, at: now },
      path: ['unitAsOf'],
    }),
  },
  {
    name: 'machineDiagram',
    policy: 'machineDiagram',
    root: 'machineDiagram',
    scope: 'none',
    build: () => ({ query: '{ machineDiagram }', variables: {}, path: ['machineDiagram'] }),
  },
  {
    name: 'rulebook',
    policy: 'read',
    root: 'rulebook',
    scope: 'none',
    build: () => ({ query: '{ rulebook(version: 2) { version ruleset current } }', variables: {}, path: ['rulebook'] }),
  },
  {
    name: 'rulebooks',
    policy: 'read',
    root: 'rulebooks',
    scope: 'none',
    build: () => ({ query: '{ rulebooks { version } }', variables: {}, path: ['rulebooks'] }),
  },
  {
    name: 'serverTime',
    policy: 'read',
    root: 'serverTime',
    scope: 'none',
    build: () => ({ query: '{ serverTime }', variables: {}, path: ['serverTime'] }),
  },
];

/** The rule the matrix checks: the role allowed by the hand-written table AND the target in the principal's subtree. */
function expectedAllowed(op: Operation, role: Role, relation: Relation): boolean {
  if (!EXPECTED_ACCESS[op.policy][role]) return false;
  if (op.scope === 'none') return true;
  if (op.scope === 'whole-tree') return relation === 'unscoped';
  return relation === 'own' || relation === 'descendant' || relation === 'unscoped';
}

const at = (data: unknown, path: string[]): unknown =>
  path.reduce<any>((v, k) => (v === null || v === undefined ? v : v[k]), data);

describe('authorization matrix: role × operation × own/descendant/ancestor/sibling, against the hand-written EXPECTED_ACCESS', () => {
  let sut: TestApp;
  let tree: Tree;

  beforeAll(async () => {
    sut = await startTestApp({ timeTravel: true });
    const admin = new CampaignClient(sut, ADMIN);
    const P = await admin.createUnit('省', 'LEADERSHIP_BODY');
    const A = await admin.createUnit('甲市', 'LEADERSHIP_BODY', P);
    const B = await admin.createUnit('乙市', 'LEADERSHIP_BODY', P);
    const A1 = await admin.createUnit('甲一县', 'TOWNSHIP_STREET', A);
    const B1 = await admin.createUnit('乙一县', 'TOWNSHIP_STREET', B);
    const V = await admin.createUnit('村', 'GRASSROOTS', A1);
    tree = { P, A, A1, V, B, B1 };
  });
  afterAll(async () => {
    await sut.close();
  });

  const scoped = (role: Role, sub = `${role.toLowerCase()}-of-A`): Principal => ({ sub, role, scopeUnitId: tree.A });

  describe('tokens', () => {
    const probe = 'query($id: ID!) { unit(id: $id) { id } }';
    const send = (authorization: string | null) =>
      raw(sut, {
        body: { query: probe, variables: { id: tree.A } },
        as: authorization === null ? null : { authorization },
      });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = () => Math.floor(Date.now() / 1000);
    /** a token with these claims and a valid HS256 signature: only the claim checks can refuse it */
    const signClaims = (claims: Record<string, unknown>) => {
      const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
      return `${body}.${createHmac('sha256', sut.config.jwtSecret).update(body).digest('base64url')}`;
    };

    it.each<[string, () => string | null]>([
      ['no Authorization header', () => null],
      ['a Basic header', () => 'Basic YWRtaW46YWRtaW4='],
      ['a bearer that is not a JWT', () => 'Bearer not-a-token'],
      ['a token signed with another secret', () => `Bearer ${signToken(ADMIN, 'another-secret')}`],
      [
        'an expired token',
        () => `Bearer ${signToken(ADMIN, sut.config.jwtSecret, { nowSeconds: now() - 3600, expiresInSeconds: 60 })}`,
      ],
      [
        'a correctly signed token not valid yet (nbf)',
        () => `Bearer ${signClaims({ sub: 'x', role: 'ADMIN', nbf: now() + 3600 })}`,
      ],
      [
        'a correctly signed token with an unknown role',
        () => `Bearer ${signClaims({ sub: 'root', role: 'ROOT', iat: now() })}`,
      ],
      ['a correctly signed token without sub', () => `Bearer ${signClaims({ role: 'ADMIN', iat: now() })}`],
      [
        'a correctly signed token whose scope is not a string',
        () => `Bearer ${signClaims({ sub: 'x', role: 'ADMIN', scope: ['*'] })}`,
      ],
      [
        'an alg=none token',
        () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', role: 'ADMIN', iat: now() })}.`,
      ],
      [
        'an alg=none token with the valid signature of another token',
        () => {
          const valid = signToken(scoped('AUDITOR'), sut.config.jwtSecret).split('.');
          return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${valid[1]}.${valid[2]}`;
        },
      ],
      [
        'a scoped token whose claims were widened (scope dropped, role raised)',
        () => {
          const [header, , sig] = signToken(scoped('AUDITOR'), sut.config.jwtSecret).split('.');
          return `Bearer ${header}.${b64({ sub: 'auditor-of-A', role: 'ADMIN', iat: now() })}.${sig}`;
        },
      ],
    ])('%s → 401 UNAUTHENTICATED and no data', async (_what, header) => {
      const before = sut.db.statementCount;
      const res = await send(header());
      expect(res.status).toBe(401);
      expect(errorCodes(res.json)).toEqual(['UNAUTHENTICATED']);
      expect(res.json).not.toHaveProperty('data');
      expect(sut.db.statementCount).toBe(before);
    });

    it('a mutation without a valid token → UNAUTHENTICATED before anything is read or written', async () => {
      const before = sut.db.statementCount;
      const res = await raw(sut, {
        body: {
          query: 'mutation($i: SendEventInput!) { sendEvent(input: $i) { __typename } }',
          variables: { i: { unitId: tree.A, event: 'LAUNCH' } },
        },
        as: { authorization: `Bearer ${signToken(ADMIN, 'another-secret')}` },
      });
      expect(errorCodes(res.json)).toEqual(['UNAUTHENTICATED']);
      expect(res.json).not.toHaveProperty('data');
      expect(sut.db.statementCount).toBe(before);
    });
  });

  describe('nested reads of a principal scoped to city A', () => {
    it('unit(own) { parent } → FORBIDDEN on parent only, the unit itself readable', async () => {
      const res = await sut.gql(
        'query($id: ID!) { unit(id: $id) { id parent { id name } } }',
        { id: tree.A },
        scoped('AUDITOR'),
      );
      expect(res.errors!.map((e: any) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['unit', 'parent']]]);
      expect(res.data).toEqual({ unit: { id: tree.A, parent: null } });
    });

    it('unit(descendant) { parent } reaches up to the scope root, and no further', async () => {
      const res = await sut.gql(
        'query($id: ID!) { unit(id: $id) { parent { id parent { id parent { id } } } } }',
        { id: tree.V },
        scoped('OFFICER'),
      );
      expect(res.errors!.map((e: any) => [e.extensions?.code, e.path])).toEqual([
        ['FORBIDDEN', ['unit', 'parent', 'parent', 'parent']],
      ]);
      expect(res.data).toEqual({ unit: { parent: { id: tree.A1, parent: { id: tree.A, parent: null } } } });
    });

    it('units without filters lists only the subtree (scope root included)', async () => {
      for (const role of ROLES) {
        const res = await sut.gql('{ units(first: 100) { edges { node { id } } } }', {}, scoped(role));
        expect(res.errors).toBeUndefined();
        expect(res.data!.units.edges.map((e: any) => e.node.id).sort()).toEqual([tree.A, tree.A1, tree.V].sort());
      }
      const kind = await sut.gql(
        '{ units(kind: LEADERSHIP_BODY, first: 100) { edges { node { id } } } }',
        {},
        scoped('SUPERVISOR'),
      );
      expect(kind.data!.units.edges.map((e: any) => e.node.id)).toEqual([tree.A]);
      const all = await sut.gql(
        '{ units(first: 100) { edges { node { id } } } }',
        {},
        { sub: 'everywhere', role: 'AUDITOR', scopeUnitId: null },
      );
      expect(all.data!.units.edges).toHaveLength(6);
    });

    it('children and history of the own unit are fine; a sibling id anywhere → FORBIDDEN, also one that does not exist', async () => {
      const res = await sut.gql(
        'query($id: ID!) { unit(id: $id) { children { edges { node { id children { edges { node { id } } } } } } history { edges { node { seq } } } } }',
        { id: tree.A },
        scoped('OFFICER'),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.unit.children.edges).toEqual([
        { node: { id: tree.A1, children: { edges: [{ node: { id: tree.V } }] } } },
      ]);
      expect(res.data!.unit.history.edges).toEqual([]);
      for (const id of [tree.B, tree.B1, tree.P, randomUUID()]) {
        const r = await sut.gql(
          'query($id: ID!) { unit(id: $id) { id history { edges { node { seq } } } } }',
          { id },
          scoped('OFFICER'),
        );
        expect(r.errors!.map((e: any) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['unit']]]);
        expect(r.data).toEqual({ unit: null });
      }
    });
  });

  describe('the matrix', () => {
    it('covers every entry of COMMAND_POLICY and of EXPECTED_ACCESS, and every root field of the schema', () => {
      const policies = new Set(OPERATIONS.map((o) => o.policy));
      expect(Object.keys(COMMAND_POLICY).filter((k) => !policies.has(k as CommandName))).toEqual([]);
      expect(Object.keys(EXPECTED_ACCESS).filter((k) => !policies.has(k as CommandName))).toEqual([]);
      const schema = sut.app.get(GraphQLSchemaHost).schema;
      const roots = [
        ...Object.keys(schema.getQueryType()!.getFields()),
        ...Object.keys(schema.getMutationType()!.getFields()),
      ];
      const exercised = new Set(OPERATIONS.map((o) => o.root));
      expect(roots.filter((r) => !exercised.has(r))).toEqual([]);
    });

    let cells = 0;
    afterAll(() => {
      // 4 roles × 5 columns × every operation
      expect(cells).toBe(ROLES.length * RELATIONS.length * OPERATIONS.length);
    });

    it.each(ROLES.flatMap((role) => RELATIONS.map((relation) => [role, relation] as const)))(
      '%s × %s',
      async (role, relation) => {
        const principal: Principal =
          relation === 'unscoped'
            ? { sub: `${role.toLowerCase()}-everywhere`, role, scopeUnitId: null }
            : scoped(role, `${role.toLowerCase()}-${relation}`);
        const now = sut.clock.now().toISOString();
        const wrong = await pool(
          OPERATIONS.map((op) => async () => {
            const request = op.build(target(relation, tree), relation, tree, now);
            const res = await sut.gql(request.query, request.variables, principal);
            cells++;
            const allowed = expectedAllowed(op, role, relation);
            const codes = errorCodes(res);
            const value = at(res.data, request.path);
            if (allowed) {
              if (res.errors !== undefined || value === undefined)
                return `${op.name}: expected allowed, got ${JSON.stringify(res)}`;
            } else if (
              !codes.includes('FORBIDDEN') ||
              codes.some((c) => c !== 'FORBIDDEN') ||
              (value !== null && value !== undefined)
            ) {
              return `${op.name}: expected FORBIDDEN and no data, got ${JSON.stringify(res)}`;
            } else if (res.errors!.some((e) => UUID.test(e.message))) {
              return `${op.name}: a FORBIDDEN message names a unit: ${JSON.stringify(res.errors)}`;
            }
            return null;
          }),
          4,
        );
        expect(wrong.filter((w) => w !== null)).toEqual([]);
      },
    );
  });
});
