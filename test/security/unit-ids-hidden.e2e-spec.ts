import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal.js';
import type { TestApp } from '../support/test-app.js';
import { startStory, StoryClient } from '../support/campaign-client.js';
import { expectForbidden, sendToSubtree, verifyHistory } from '../commands/command-support.js';

/**
 * A scoped principal learns no id of a unit outside its scope: not from a FORBIDDEN message, not from what it reads.
 * (Found on the old main: FORBIDDEN said "unit <id> is outside your scope", and a village's history showed the id of
 * the province that launched it in bulk and of the township that collected its opinions.)
 *
 * The tree: province P → township A → village V; P → township B.
 */
describe('unit ids outside the scope are never shown', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let P: string;
  let A: string;
  let V: string;
  let B: string;
  const as = (
    role: Principal['role'],
    scopeUnitId: string | null,
    sub = `${role.toLowerCase()}-${scopeUnitId ?? 'all'}`,
  ): Principal => ({ sub, role, scopeUnitId });

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
    P = await admin.createUnit('省委', 'LEADERSHIP_BODY');
    A = await admin.createUnit('甲镇党委', 'TOWNSHIP_STREET', P);
    V = await admin.createUnit('甲村党支部', 'GRASSROOTS', A);
    B = await admin.createUnit('乙镇党委', 'TOWNSHIP_STREET', P);
    for (const unit of [P, A, V, B])
      await admin.ok('fileStudyPlan', { unitId: unit, topics: ['党章'], plannedDays: 1 });
    // V's LAUNCH carries bulkRootId = P
    expect(await sendToSubtree(admin, { rootId: P, event: 'LAUNCH', reason: '压茬启动' })).toMatchObject({
      accepted: 4,
    });
    sut.clock.advanceMs(60_000);
    // V's refused COMPLETE_STUDY attempts carry bulkRootId = A, then = V
    expect(await sendToSubtree(admin, { rootId: A, event: 'COMPLETE_STUDY' })).toMatchObject({ blocked: 2 });
    expect(await sendToSubtree(admin, { rootId: V, event: 'COMPLETE_STUDY' })).toMatchObject({ blocked: 1 });
    // opinions about V collected by A (routed) and by V; a lecture on V given to A's audience
    const opinion = (collectedByUnitId: string, occurredAt = admin.now()) => ({
      targetUnitId: V,
      collectedByUnitId,
      channel: 'HOME_VISIT',
      category: 'FORMALISM',
      text: '意见',
      occurredAt,
    });
    await admin.ok('recordOpinion', opinion(A), '... on OpinionRecorded { eventSeq }');
    await admin.ok('recordOpinion', opinion(V), '... on OpinionRecorded { eventSeq }');
    await admin.ok('recordPartyLecture', { unitId: V, lecturer: '李书记', occurredAt: admin.now(), audienceUnitId: A });
    // a refused opinion collected by A: its attempt carries collectedByUnitId = A
    const future = new Date(sut.clock.now().getTime() + 86_400_000).toISOString();
    expect(await admin.mutate('recordOpinion', opinion(A, future))).toMatchObject({
      __typename: 'InvalidInput',
      field: 'occurredAt',
    });
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('no FORBIDDEN message names a unit', () => {
    const doc = {
      unit: 'query($id: ID!) { unit(id: $id) { id } }',
      parent: 'query($id: ID!) { unit(id: $id) { parent { id } } }',
      children: 'query($id: ID) { units(parentId: $id) { edges { node { id } } } }',
      under: 'query($id: ID) { units(underId: $id) { edges { node { id } } } }',
      replay: 'query($id: ID!) { replay(unitId: $id) { diverged } }',
      verify: 'query($id: ID!) { verifyHistory(unitId: $id) { ok } }',
      asOf: 'query($id: ID!, $at: DateTime!) { unitAsOf(unitId: $id, at: $at) { phase } }',
    };

    it('reads: a unit outside the scope or unknown, its parent above the scope, its children, its audit', async () => {
      const auditorOfA = as('AUDITOR', A);
      const at = sut.clock.now().toISOString();
      const provoked: [string, string, Record<string, unknown>, Principal][] = [
        ['unit(sibling)', doc.unit, { id: B }, auditorOfA],
        ['unit(ancestor)', doc.unit, { id: P }, auditorOfA],
        ['unit(unknown)', doc.unit, { id: randomUUID() }, auditorOfA],
        ['parent above the scope', doc.parent, { id: A }, auditorOfA],
        ['units(parentId: sibling)', doc.children, { id: B }, auditorOfA],
        ['units(underId: ancestor)', doc.under, { id: P }, auditorOfA],
        ['replay(sibling)', doc.replay, { id: B }, auditorOfA],
        ['verifyHistory(unknown)', doc.verify, { id: randomUUID() }, auditorOfA],
        ['unitAsOf(ancestor)', doc.asOf, { id: P, at }, auditorOfA],
        ['replay by an officer (role)', doc.replay, { id: V }, as('OFFICER', A)],
      ];
      for (const [what, query, variables, principal] of provoked) {
        const res = await sut.gql(query, variables, principal);
        expect({ what, forbidden: expectForbidden(res).length }).toEqual({ what, forbidden: 1 });
      }
    });

    it('writes: every command on a unit outside the scope, the units its input names, bulk sends, whole-tree actions', async () => {
      const officerOfA = admin.withPrincipal(as('OFFICER', A));
      const adminOfA = admin.withPrincipal(as('ADMIN', A));
      const now = admin.now();
      const provoked: [string, () => Promise<any>][] = [
        [
          'fileStudyPlan(sibling)',
          () => officerOfA.mutate('fileStudyPlan', { unitId: B, topics: ['党章'], plannedDays: 1 }),
        ],
        [
          'recordStudySession(ancestor)',
          () =>
            officerOfA.mutate('recordStudySession', {
              unitId: P,
              format: 'SELF_STUDY',
              occurredAt: now,
              hours: 1,
              attendees: 3,
            }),
        ],
        ['sendEvent(unknown)', () => officerOfA.send(randomUUID(), 'COMPLETE_STUDY')],
        [
          'recordOpinion(collected by a sibling)',
          () =>
            officerOfA.mutate('recordOpinion', {
              targetUnitId: V,
              collectedByUnitId: B,
              channel: 'FORUM',
              category: 'WORK',
              text: '意见',
              occurredAt: now,
            }),
        ],
        [
          'recordPartyLecture(audience an ancestor)',
          () =>
            officerOfA.mutate('recordPartyLecture', {
              unitId: V,
              lecturer: '李书记',
              occurredAt: now,
              audienceUnitId: P,
            }),
        ],
        [
          'issueFinding by an officer (role)',
          () => officerOfA.mutate('issueFinding', { unitId: V, kind: 'LAZY_THINKING', note: '学习不深' }),
        ],
        ['sendEventToSubtree(sibling)', () => sendToSubtree(adminOfA, { rootId: B, event: 'COMPLETE_STUDY' })],
        [
          'createUnit(under a sibling)',
          () => adminOfA.mutate('createUnit', { name: '新村', kind: 'GRASSROOTS', parentId: B }),
        ],
        ['createUnit(a root)', () => adminOfA.mutate('createUnit', { name: '新省', kind: 'LEADERSHIP_BODY' })],
        [
          'overrideTransition(unknown)',
          () => adminOfA.mutate('overrideTransition', { unitId: randomUUID(), event: 'COMPLETE_STUDY', reason: '急' }),
        ],
        ['createAuditCheckpoint', async () => sut.gql('mutation { createAuditCheckpoint { id } }', {}, as('ADMIN', A))],
      ];
      for (const [what, send] of provoked) {
        const answer = await send();
        expect({ what, forbidden: expectForbidden(answer).length }).toEqual({ what, forbidden: 1 });
      }
    });
  });

  describe('a scoped reader sees ids outside its scope as null, and the real id inside', () => {
    const HISTORY = 'query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { type payload } } } } }';
    const ATTEMPTS =
      'query($id: ID!) { unit(id: $id) { attempts(first: 100) { edges { node { command payload } } } } }';
    const REPLAY = 'query($id: ID!) { replay(unitId: $id) { steps { type payload } } }';
    const OPINIONS =
      'query($id: ID!) { unit(id: $id) { opinions(first: 100) { edges { node { routed collectedByUnitId } } } } }';

    /** The unit ids V's payloads name, field by field, as `reader` sees them through `query`. */
    async function namedIds(reader: Principal, query: string, pick: (data: any) => { payload: string }[]) {
      const res = await sut.gql(query, { id: V }, reader);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return pick(res.data)
        .map((n) => JSON.parse(n.payload))
        .flatMap((p) =>
          ['bulkRootId', 'collectedByUnitId', 'audienceUnitId']
            .filter((f) => f in p)
            .map((f) => `${f}=${p[f] === null ? 'null' : name(p[f])}`),
        );
    }
    const name = (id: string) => ({ [P]: 'P', [A]: 'A', [V]: 'V', [B]: 'B' })[id] ?? `unknown ${id}`;
    const history = (reader: Principal) =>
      namedIds(reader, HISTORY, (d) => d.unit.history.edges.map((e: any) => e.node));
    const attempts = (reader: Principal) =>
      namedIds(reader, ATTEMPTS, (d) => d.unit.attempts.edges.map((e: any) => e.node));
    const replay = (reader: Principal) => namedIds(reader, REPLAY, (d) => d.replay.steps);
    const opinions = async (reader: Principal) => {
      const res = await sut.gql(OPINIONS, { id: V }, reader);
      return res.data!.unit.opinions.edges.map(
        (e: any) => `${e.node.routed}:${e.node.collectedByUnitId === null ? 'null' : name(e.node.collectedByUnitId)}`,
      );
    };

    it('history: bulkRootId, collectedByUnitId and audienceUnitId', async () => {
      expect(await history(as('AUDITOR', V))).toEqual([
        'bulkRootId=null',
        'collectedByUnitId=null',
        'collectedByUnitId=V',
        'audienceUnitId=null',
      ]);
      expect(await history(as('OFFICER', A))).toEqual([
        'bulkRootId=null',
        'collectedByUnitId=A',
        'collectedByUnitId=V',
        'audienceUnitId=A',
      ]);
      expect(await history(as('AUDITOR', null))).toEqual([
        'bulkRootId=P',
        'collectedByUnitId=A',
        'collectedByUnitId=V',
        'audienceUnitId=A',
      ]);
    });

    it('attempts: the refused bulk sends and the refused opinion', async () => {
      expect(await attempts(as('SUPERVISOR', V))).toEqual([
        'bulkRootId=null',
        'bulkRootId=V',
        'collectedByUnitId=null',
      ]);
      expect(await attempts(as('SUPERVISOR', A))).toEqual(['bulkRootId=A', 'bulkRootId=V', 'collectedByUnitId=A']);
      expect(await attempts(as('SUPERVISOR', null))).toEqual(['bulkRootId=A', 'bulkRootId=V', 'collectedByUnitId=A']);
    });

    it('replay payloads', async () => {
      expect(await replay(as('AUDITOR', V))).toEqual([
        'bulkRootId=null',
        'collectedByUnitId=null',
        'collectedByUnitId=V',
        'audienceUnitId=null',
      ]);
      expect(await replay(as('AUDITOR', P))).toEqual([
        'bulkRootId=P',
        'collectedByUnitId=A',
        'collectedByUnitId=V',
        'audienceUnitId=A',
      ]);
    });

    it('opinions { collectedByUnitId }', async () => {
      expect(await opinions(as('OFFICER', V))).toEqual(['true:null', 'false:V']);
      expect(await opinions(as('OFFICER', A))).toEqual(['true:A', 'false:V']);
    });

    it('what is hidden is only hidden: the stored events are unchanged and still verify', async () => {
      expect(await verifyHistory(sut, V)).toMatchObject({ ok: true, problem: null });
      const hashes = async (reader: Principal) =>
        (
          await sut.gql(
            'query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { hash } } } } }',
            { id: V },
            reader,
          )
        ).data!.unit.history.edges.map((e: any) => e.node.hash);
      expect(await hashes(as('AUDITOR', V))).toEqual(await hashes(as('AUDITOR', null)));
    });
  });
});
