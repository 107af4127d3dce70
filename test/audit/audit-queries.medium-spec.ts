import 'reflect-metadata';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../../src/auth/principal.js';
import { signCheckpoint } from '../../src/audit/checkpoint.js';
import { ADMIN, campaignServices, recordStory, type CampaignServices } from '../history/support/campaign-story.js';
import { auditServices } from '../history/support/audit-services.js';
import type { StoryStep } from '../history/support/campaign-story.js';
import { useMediumDatabase } from '../support/medium-database.js';

const MINUTE = 60_000;
const KEY = 'medium-audit-key';
const AUDITOR: Principal = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null };
const OFFICER: Principal = { sub: 'officer', role: 'OFFICER', scopeUnitId: null };
/** Steps in the village's story: more than the default page of 20, fewer than the largest page of 100. */
const STEPS = 25;

/** What an API call threw: its GraphQL code and message. */
async function refusal(call: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await call;
  } catch (error) {
    return { code: (error as GraphQLError).extensions?.code, message: (error as Error).message };
  }
  throw new Error('the call was not refused');
}

/**
 * The audit API as the resolvers call it: who may replay, verify, read as of a moment, see the diagram and sign a
 * checkpoint; a replay's pages and what a scoped auditor sees of the units outside its subtree.
 */
describe('AuditQueriesService', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: ReturnType<typeof auditServices>;
  let county: string;
  let village: string;
  let neighbour: string;
  let villageCreatedAt: number;
  let steps: StoryStep[];
  let scopedAuditor: Principal;

  beforeAll(async () => {
    services = campaignServices(medium.db);
    sut = auditServices(medium.db, services, KEY);
    const create = async (name: string, kind: string, parentId?: string) => {
      const created = await services.unitsService.create(ADMIN, { name, kind, parentId } as never);
      if (!('unit' in created)) throw new Error(JSON.stringify(created));
      return created.unit.id;
    };
    county = await create('审县', 'DIRECT_UNIT');
    await recordStory(services, county, 2); // a unit launches after its parent
    villageCreatedAt = services.clock.now().getTime();
    village = await create('审村', 'GRASSROOTS', county);
    neighbour = await create('邻村', 'GRASSROOTS', county);
    steps = await recordStory(services, village, 2); // plan, launch
    // seq 3: a lecture heard by the neighbouring village
    services.clock.advanceMs(MINUTE);
    const heard = await services.evidence.recordPartyLecture(ADMIN, {
      unitId: village,
      lecturer: '讲师',
      audienceUnitId: neighbour,
      occurredAt: new Date(services.clock.now().getTime() - MINUTE),
    });
    if (!('eventSeq' in heard) || !heard.status) throw new Error(JSON.stringify(heard));
    steps.push({ seq: 3, at: services.clock.now().getTime(), type: 'lecture', status: heard.status });
    steps.push(...(await recordStory(services, village, STEPS - 3, 4)));
    scopedAuditor = { sub: 'scoped-auditor', role: 'AUDITOR', scopeUnitId: village };
  });

  describe('replay', () => {
    it('without `first`, one page of up to 100 steps (not the default 20 of other lists): the whole history here', async () => {
      const replay = await sut.queries.replay(AUDITOR, village, null, null, null);
      expect(replay.steps.map((s) => s.seq)).toEqual(steps.map((s) => s.seq));
      expect(replay).toMatchObject({ unitId: village, until: null, hasMore: false, nextAfter: null, diverged: false });
      expect(replay.status).toEqual(steps[STEPS - 1].status);
    });

    it('pages: nextAfter is the last step of the page, or the `after` given when the page is empty (0 without one)', async () => {
      const first = await sut.queries.replay(AUDITOR, village, null, 2, null);
      expect(first.steps.map((s) => s.seq)).toEqual([1, 2]);
      expect(first).toMatchObject({ hasMore: true, nextAfter: 2 });
      const next = await sut.queries.replay(AUDITOR, village, null, 3, first.nextAfter);
      expect(next.steps.map((s) => s.seq)).toEqual([3, 4, 5]);
      expect(next).toMatchObject({ hasMore: true, nextAfter: 5 });
      const last = await sut.queries.replay(AUDITOR, village, null, 10, STEPS - 2);
      expect(last.steps.map((s) => s.seq)).toEqual([STEPS - 1, STEPS]);
      expect(last).toMatchObject({ hasMore: false, nextAfter: null });
      // a page that takes exactly the steps left is the last one
      const exact = await sut.queries.replay(AUDITOR, village, null, 5, STEPS - 5);
      expect(exact.steps.map((s) => s.seq)).toEqual([21, 22, 23, 24, 25]);
      expect(exact).toMatchObject({ hasMore: false, nextAfter: null });
      expect(await sut.queries.replay(AUDITOR, village, null, 0, null)).toMatchObject({
        steps: [],
        hasMore: true,
        nextAfter: 0,
      });
      expect(await sut.queries.replay(AUDITOR, village, null, 0, 7)).toMatchObject({
        steps: [],
        hasMore: true,
        nextAfter: 7,
      });
    });

    it('until: the steps up to it and the status then, echoed back', async () => {
      const until = new Date(steps[4].at);
      const replay = await sut.queries.replay(AUDITOR, village, until, null, null);
      expect(replay.steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(replay).toMatchObject({ unitId: village, until, hasMore: false, nextAfter: null });
      expect(replay.status).toEqual(steps[4].status);
      expect(replay.status).toMatchObject({ unitId: village, version: 5 });
    });

    it('after 0 is the start; an after that is negative or not whole is refused', async () => {
      const fromZero = await sut.queries.replay(AUDITOR, village, null, 3, 0);
      expect(fromZero.steps.map((s) => s.seq)).toEqual([1, 2, 3]);
      for (const after of [-1, 1.5])
        expect(await refusal(sut.queries.replay(AUDITOR, village, null, 3, after))).toEqual({
          code: 'BAD_USER_INPUT',
          message: 'after must be the seq of a step (a whole number ≥ 0).',
        });
    });

    it('each step: the stored event, the states before and after, no refusal, and the gates with earliestAt as a Date', async () => {
      const unit = (await services.units.findById(village))!;
      const served = await sut.audit.replay(unit, null, 0, 100);
      const replay = await sut.queries.replay(AUDITOR, village, null, null, null);
      expect(replay.steps).toHaveLength(served.steps.length);
      let timed = 0;
      for (const [i, step] of replay.steps.entries()) {
        const s = served.steps[i];
        expect(step).toMatchObject({
          seq: s.seq,
          type: s.type,
          hash: s.hash,
          actor: s.actor,
          stateBefore: s.stateBefore,
          stateAfter: s.stateAfter,
          refusal: null,
        });
        expect(step.gates.map((g) => g.event)).toEqual(s.gates.map((g) => g.event));
        for (const [j, gate] of step.gates.entries()) {
          const original = s.gates[j];
          expect(gate).toMatchObject({ allowed: original.allowed, blockers: original.blockers });
          if (original.earliestAt === null) expect(gate.earliestAt).toBeNull();
          else {
            timed++;
            expect(gate.earliestAt).toEqual(new Date(original.earliestAt));
          }
        }
      }
      // the story has steps where time alone stood in a gate's way, and many where it did not
      expect(timed).toBeGreaterThan(0);
      expect(replay.steps.flatMap((s) => s.gates).filter((g) => g.earliestAt === null).length).toBeGreaterThan(0);
    });

    it('a scoped auditor sees a unit outside its subtree as null; a whole-tree auditor sees every unit', async () => {
      const lectureOf = async (principal: Principal) =>
        JSON.parse((await sut.queries.replay(principal, village, null, 1, 2)).steps[0].payload);
      expect(await lectureOf(AUDITOR)).toMatchObject({ unitId: village, audienceUnitId: neighbour });
      expect(await lectureOf(scopedAuditor)).toMatchObject({ unitId: village, audienceUnitId: null, lecturer: '讲师' });
    });

    it('only auditors and admins replay, within their scope; a unit that does not exist is NOT_FOUND', async () => {
      expect(await refusal(sut.queries.replay(OFFICER, village, null, 1, null))).toEqual({
        code: 'FORBIDDEN',
        message: 'OFFICER may not replay: allowed to AUDITOR, ADMIN.',
      });
      expect(await refusal(sut.queries.replay(scopedAuditor, neighbour, null, 1, null))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await refusal(sut.queries.replay(AUDITOR, 'no-such-unit', null, 1, null))).toEqual({
        code: 'NOT_FOUND',
        message: 'Unit not found.',
      });
      expect((await sut.queries.replay(ADMIN, village, null, 1, null)).steps).toHaveLength(1);
    });
  });

  describe('verify', () => {
    it('an auditor verifies a unit in scope; others are refused; a unit that does not exist is NOT_FOUND', async () => {
      expect(await sut.queries.verify(scopedAuditor, village)).toEqual({
        ok: true,
        checkedEvents: STEPS,
        firstBrokenSeq: null,
        problem: null,
        detail: null,
      });
      expect(await refusal(sut.queries.verify(OFFICER, village))).toEqual({
        code: 'FORBIDDEN',
        message: 'OFFICER may not verifyHistory: allowed to AUDITOR, ADMIN.',
      });
      expect(await refusal(sut.queries.verify(scopedAuditor, county))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refusal(sut.queries.verify(AUDITOR, 'no-such-unit'))).toEqual({
        code: 'NOT_FOUND',
        message: 'Unit not found.',
      });
    });
  });

  describe('asOf', () => {
    it('anyone reads a unit in scope as of a moment: null before it existed, the status answered then afterwards', async () => {
      expect(await sut.queries.asOf(OFFICER, village, new Date(villageCreatedAt - 1))).toBeNull();
      expect(await sut.queries.asOf(OFFICER, village, new Date(steps[2].at))).toEqual(steps[2].status);
      expect(await sut.queries.asOf(scopedAuditor, village, new Date(steps[9].at))).toEqual(steps[9].status);
      expect(await refusal(sut.queries.asOf(scopedAuditor, neighbour, new Date(steps[2].at)))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await refusal(sut.queries.asOf(OFFICER, 'no-such-unit', new Date()))).toEqual({
        code: 'NOT_FOUND',
        message: 'Unit not found.',
      });
    });
  });

  describe('diagram', () => {
    it('rendered for every role of the policy, refused to a principal whose role is none of them', async () => {
      for (const role of ['ADMIN', 'SUPERVISOR', 'OFFICER', 'AUDITOR'] as const)
        expect(await sut.queries.diagram({ sub: 'x', role, scopeUnitId: village }, async () => 'flowchart')).toBe(
          'flowchart',
        );
      let rendered = false;
      const stranger = { sub: 'x', role: 'VISITOR', scopeUnitId: null } as unknown as Principal;
      expect(
        await refusal(
          (async () =>
            sut.queries.diagram(stranger, async () => {
              rendered = true;
              return 'flowchart';
            }))(),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(rendered).toBe(false);
    });
  });

  describe('checkpoint', () => {
    it('an admin without a scope signs one: the row as stored, its time a Date', async () => {
      services.clock.advanceMs(MINUTE);
      const checkpoint = await sut.queries.checkpoint(ADMIN);
      const [stored] = await sut.repository.checkpoints();
      expect({ ...checkpoint }).toEqual({
        __typename: 'AuditCheckpoint',
        id: stored.id,
        createdAt: new Date(services.clock.now().getTime()),
        unitCount: 2, // the county and the village: the neighbour has no event yet
        digest: stored.digest,
        prevSignature: stored.prevSignature,
        signature: stored.signature,
      });
      expect(stored.signature).toBe(signCheckpoint(stored, KEY));
    });

    it('refused to an admin with a scope and to any other role, and nothing is signed', async () => {
      const before = (await sut.repository.checkpoints()).length;
      expect(await refusal(sut.queries.checkpoint({ sub: 'a', role: 'ADMIN', scopeUnitId: county }))).toEqual({
        code: 'FORBIDDEN',
        message: 'createAuditCheckpoint covers the whole tree: only a principal without a scope may do it.',
      });
      expect(await refusal(sut.queries.checkpoint(AUDITOR))).toEqual({
        code: 'FORBIDDEN',
        message: 'AUDITOR may not createAuditCheckpoint: allowed to ADMIN.',
      });
      expect(await sut.repository.checkpoints()).toHaveLength(before);
    });
  });
});
