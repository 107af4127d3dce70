import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app.js';
import { startStory, StoryClient } from '../support/campaign-client.js';
import { expectForbidden, sendToSubtree } from '../commands/command-support.js';

/**
 * A unit an input names besides the one acted on (a lecture's audience, who collected an opinion) is under the same
 * access rule as the unit itself: outside the principal's scope → FORBIDDEN; an id that does not exist → the very
 * same FORBIDDEN for a scoped principal (no oracle of what exists outside the scope) and NotFound for a principal
 * of the whole tree; inside → accepted. (Found on the old main: audienceUnitId was not checked at all.)
 *
 * The tree: province P → township A → village V; P → township B. The officer holds A.
 */
describe('units named in an input: audienceUnitId and collectedByUnitId', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let P: string;
  let A: string;
  let V: string;
  let B: string;

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
    P = await admin.createUnit('省委', 'LEADERSHIP_BODY');
    A = await admin.createUnit('甲镇党委', 'TOWNSHIP_STREET', P);
    V = await admin.createUnit('甲村党支部', 'GRASSROOTS', A);
    B = await admin.createUnit('乙镇党委', 'TOWNSHIP_STREET', P);
    for (const unit of [P, A, V, B])
      await admin.ok('fileStudyPlan', { unitId: unit, topics: ['党章'], plannedDays: 1 });
    expect(await sendToSubtree(admin, { rootId: P, event: 'LAUNCH' })).toMatchObject({ accepted: 4 });
    sut.clock.advanceMs(60_000);
    officer = admin.withPrincipal({ sub: 'officer-of-A', role: 'OFFICER', scopeUnitId: A });
  });
  afterAll(async () => {
    await sut.close();
  });

  const lecture = (audienceUnitId: string) => ({
    unitId: A,
    lecturer: '张书记',
    occurredAt: officer.now(),
    audienceUnitId,
  });
  const opinion = (collectedByUnitId: string) => ({
    targetUnitId: V,
    collectedByUnitId,
    channel: 'HOME_VISIT',
    category: 'FORMALISM',
    text: '走访意见',
    occurredAt: officer.now(),
  });

  describe.each([
    ['recordPartyLecture', 'audienceUnitId', () => A, lecture, 'EvidenceRecorded'],
    ['recordOpinion', 'collectedByUnitId', () => V, opinion, 'OpinionRecorded'],
  ] as const)('%s.%s', (mutation, _field, actedOn, input, success) => {
    it('outside the scope (a sibling, an ancestor) → FORBIDDEN, nothing written, nothing logged', async () => {
      for (const named of [B, P]) {
        const answer = await officer.refused(actedOn(), mutation, () => officer.mutate(mutation, input(named)), false);
        expectForbidden(answer);
      }
    });

    it('an id that does not exist → the same FORBIDDEN for a scoped officer: nothing tells it from a unit outside the scope', async () => {
      const outside = await officer.refused(actedOn(), mutation, () => officer.mutate(mutation, input(B)), false);
      for (const missing of [randomUUID(), 'no-such-unit', 'x'.repeat(65)]) {
        const answer = await officer.refused(
          actedOn(),
          mutation,
          () => officer.mutate(mutation, input(missing)),
          false,
        );
        expect(expectForbidden(answer)).toEqual(expectForbidden(outside));
        expect(answer.errors.map((e: any) => e.extensions)).toEqual(outside.errors.map((e: any) => e.extensions));
      }
    });

    it('an id that does not exist, sent by an admin of the whole tree → NotFound naming it (logged as an attempt)', async () => {
      const missing = randomUUID();
      const answer = await admin.refused(actedOn(), mutation, () =>
        admin.mutate(mutation, input(missing), '... on NotFound { entity id }'),
      );
      expect(answer).toMatchObject({ __typename: 'NotFound', errorCode: 'NOT_FOUND', entity: 'Unit', id: missing });
    });

    it('inside the scope (the unit itself, a descendant) → accepted; an admin of the whole tree may name any unit', async () => {
      for (const named of [A, V]) expect((await officer.mutate(mutation, input(named))).__typename).toBe(success);
      expect((await admin.mutate(mutation, input(B))).__typename).toBe(success);
    });
  });

  it('a scoped admin is held to its scope the same way (FORBIDDEN, also for an id that does not exist)', async () => {
    const scopedAdmin = admin.withPrincipal({ sub: 'admin-of-A', role: 'ADMIN', scopeUnitId: A });
    for (const named of [B, randomUUID()]) {
      expectForbidden(await scopedAdmin.mutate('recordPartyLecture', lecture(named)));
      expectForbidden(await scopedAdmin.mutate('recordOpinion', opinion(named)));
    }
  });
});
