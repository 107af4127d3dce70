import 'reflect-metadata';
import type { Principal } from '../../src/auth/principal.js';
import { UnitHistoryService } from '../../src/audit/unit-history.service.js';
import { encodeCursor } from '../../src/common/pagination.js';
import { ADMIN, campaignServices, recordStory, type CampaignServices } from '../history/support/campaign-story.js';
import { useMediumDatabase } from '../support/medium-database.js';

const MINUTE = 60_000;

/**
 * A unit's history and its refused attempts, a page at a time, on a real database: pages in order with cursors, and
 * a reader scoped to the unit sees the units outside its scope as null.
 */
describe('UnitHistoryService', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let sut: UnitHistoryService;
  let village: string;
  let neighbour: string;
  let reader: Principal;

  beforeAll(async () => {
    services = campaignServices(medium.db);
    sut = new UnitHistoryService(services.store, services.access);
    const create = async (name: string, kind: string, parentId?: string) => {
      const created = await services.unitsService.create(ADMIN, { name, kind, parentId } as never);
      if (!('unit' in created)) throw new Error(JSON.stringify(created));
      return created.unit.id;
    };
    const county = await create('史县', 'DIRECT_UNIT');
    await recordStory(services, county, 2);
    village = await create('史村', 'GRASSROOTS', county);
    neighbour = await create('邻村', 'GRASSROOTS', county);
    await recordStory(services, village, 2); // plan, launch
    // seq 3: a lecture heard by the neighbouring village
    services.clock.advanceMs(MINUTE);
    const lecture = { unitId: village, lecturer: '讲师', audienceUnitId: neighbour };
    const heard = await services.evidence.recordPartyLecture(ADMIN, {
      ...lecture,
      occurredAt: new Date(services.clock.now().getTime() - MINUTE),
    });
    if (!('eventSeq' in heard)) throw new Error(JSON.stringify(heard));
    // two refusals: a blocked stage event, then the same lecture from the future
    await services.stageEvents.send(ADMIN, { unitId: village, event: 'COMPLETE_STUDY' });
    await services.evidence.recordPartyLecture(ADMIN, {
      ...lecture,
      occurredAt: new Date(services.clock.now().getTime() + MINUTE),
    });
    reader = { sub: 'reader', role: 'OFFICER', scopeUnitId: village };
  });

  describe('history', () => {
    it('pages the events in seq order: a cursor per event, the next page after the last one', async () => {
      const first = await sut.history(ADMIN, village, 2);
      expect(first.edges.map((e) => [e.node.seq, e.node.type, e.cursor])).toEqual([
        [1, 'FILE_STUDY_PLAN', encodeCursor(1)],
        [2, 'LAUNCH', encodeCursor(2)],
      ]);
      expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(2) });
      const second = await sut.history(ADMIN, village, 2, first.pageInfo.endCursor);
      expect(second.edges.map((e) => e.node.seq)).toEqual([3]);
      expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(3) });
      expect((await sut.history(ADMIN, village)).edges.map((e) => e.node.seq)).toEqual([1, 2, 3]);
      expect((await sut.history(ADMIN, village, 5, encodeCursor(0))).edges.map((e) => e.node.seq)).toEqual([1, 2, 3]);
    });

    it('first: 0 is an empty page that reads nothing', async () => {
      const before = medium.db.statementCount;
      expect(await sut.history(ADMIN, village, 0)).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
      expect(medium.db.statementCount).toBe(before);
    });

    it('refuses a cursor that is not a seq', async () => {
      for (const after of [encodeCursor(-1), encodeCursor(1.5), encodeCursor('seq')])
        await expect(sut.history(ADMIN, village, 2, after)).rejects.toThrow('after is not a cursor from this service.');
    });

    it('names a unit outside the reader’s scope as null, and every unit to a whole-tree reader', async () => {
      const payloadOf = async (principal: Principal) =>
        JSON.parse((await sut.history(principal, village, 1, encodeCursor(2))).edges[0].node.payload);
      expect(await payloadOf(ADMIN)).toMatchObject({ unitId: village, audienceUnitId: neighbour });
      expect(await payloadOf(reader)).toMatchObject({ unitId: village, audienceUnitId: null });
    });
  });

  describe('attempts', () => {
    it('pages the refusals in order, each with its command, who, when, the failure, its message, field and blockers', async () => {
      const all = await sut.attempts(ADMIN, village);
      expect(all.pageInfo.hasNextPage).toBe(false);
      const [blocked, future] = all.edges.map((e) => e.node);
      expect(blocked).toMatchObject({
        command: 'COMPLETE_STUDY',
        actor: 'admin',
        role: 'ADMIN',
        at: services.clock.now(),
        failure: 'TRANSITION_BLOCKED',
        field: null,
      });
      expect(blocked.blockers.map((b) => b.code).sort()).toEqual([
        'FILM_MISSING',
        'GROUP_DISCUSSION_MISSING',
        'STUDY_DWELL',
      ]);
      expect(blocked.message).not.toBe('');
      expect(future).toMatchObject({
        command: 'recordPartyLecture',
        failure: 'INVALID_INPUT',
        field: 'occurredAt',
        blockers: [],
      });
      expect(future.message).toMatch(/^occurredAt \(.*\) is after the time of recording/);

      const first = await sut.attempts(ADMIN, village, 1);
      expect(first.edges.map((e) => e.node.command)).toEqual(['COMPLETE_STUDY']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const next = await sut.attempts(ADMIN, village, 1, first.pageInfo.endCursor);
      expect(next.edges.map((e) => e.node.command)).toEqual(['recordPartyLecture']);
      expect(next.pageInfo).toEqual({ hasNextPage: false, endCursor: next.edges[0].cursor });
      expect(await sut.attempts(ADMIN, village, 0)).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
      await expect(sut.attempts(ADMIN, village, 1, encodeCursor('x'))).rejects.toThrow(
        'after is not a cursor from this service.',
      );
    });

    it('names a unit outside the reader’s scope as null in a refused input, and every unit to a whole-tree reader', async () => {
      const payloadOf = async (principal: Principal) =>
        JSON.parse((await sut.attempts(principal, village)).edges[1].node.payload);
      expect(await payloadOf(ADMIN)).toMatchObject({ unitId: village, audienceUnitId: neighbour });
      expect(await payloadOf(reader)).toMatchObject({ unitId: village, audienceUnitId: null, lecturer: '讲师' });
    });
  });
});
