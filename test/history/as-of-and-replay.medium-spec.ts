import 'reflect-metadata';
import { builtInRulebook, statusOf } from '../../machines/index.js';
import type { ReplayModel } from '../../src/audit/audit.models.js';
import { EventStoreRepository, type EventRow } from '../../src/history/event-store.repository.js';
import { foldEvent, genesisSnapshot } from '../../src/history/fold.js';
import { SNAPSHOT_EVERY } from '../../src/history/history.service.js';
import type { Principal } from '../../src/auth/principal.js';
import { useMediumDatabase } from '../support/medium-database.js';
import { auditServices } from './support/audit-services.js';
import {
  campaignServices,
  createGrassroots,
  recordStory,
  type CampaignServices,
  type StoryStep,
} from './support/campaign-story.js';

const AUDITOR: Principal = { sub: 'auditor', role: 'AUDITOR', scopeUnitId: null };
const LONG = 200;
const SHORT = 10;

/** The store the audit reads through, noting how many events each fold read (a fold starts at a stored snapshot). */
class FoldWatchingStore extends EventStoreRepository {
  folded: number[] = [];

  override async eventsBetween(unitId: string, afterSeq: number, throughSeq: number): Promise<EventRow[]> {
    const events = await super.eventsBetween(unitId, afterSeq, throughSeq);
    this.folded.push(events.length);
    return events;
  }
}

/** The status after each event, folded from the unit's genesis through every event: what a full replay gives. */
function fullReplay(events: EventRow[]): { seq: number; at: number; phase: string; activeStates: string[] }[] {
  let snapshot = genesisSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, 1, builtInRulebook);
  return events.map((event) => {
    const result = foldEvent(snapshot, event, builtInRulebook);
    if (!result.ok) throw new Error(`the story's event ${event.seq} does not fold`);
    snapshot = result.snapshot;
    const { phase, activeStates } = statusOf(snapshot);
    return { seq: event.seq, at: event.at, phase, activeStates };
  });
}

/** What a replay step shows, in a form two replays can be compared by. */
const stepView = (s: ReplayModel['steps'][number] | Record<string, any>) => ({
  seq: s.seq,
  type: s.type,
  hash: s.hash,
  stateBefore: s.stateBefore,
  stateAfter: s.stateAfter,
  refusal: s.refusal,
  gates: s.gates.map((g: any) => ({
    event: g.event,
    allowed: g.allowed,
    codes: g.blockers.map((b: any) => b.code),
    earliestAt: g.earliestAt ? new Date(g.earliestAt).getTime() : null,
  })),
});

describe('reading a unit as of a moment, and its replay a page at a time, start from the stored snapshots', () => {
  const medium = useMediumDatabase();
  let services: CampaignServices;
  let store: FoldWatchingStore;
  let sut: ReturnType<typeof auditServices>;
  let long: { id: string; createdAt: number; steps: StoryStep[] };
  let short: { id: string; steps: StoryStep[] };

  beforeAll(async () => {
    store = new FoldWatchingStore(medium.db);
    services = campaignServices(medium.db, { store });
    sut = auditServices(medium.db, services);
    const createdAt = services.clock.now().getTime();
    const longId = await createGrassroots(services, '长历史');
    long = { id: longId, createdAt, steps: await recordStory(services, longId, LONG) };
    const shortId = await createGrassroots(services, '短历史');
    short = { id: shortId, steps: await recordStory(services, shortId, SHORT) };
  });

  describe('unitAsOf', () => {
    it('at every event gives the status the command answered then, which is the full replay from the genesis', async () => {
      const replayed = fullReplay(await sut.audit.events(long.id));
      expect(replayed).toHaveLength(LONG);
      expect(new Set(replayed.map((r) => r.phase))).toEqual(new Set(['registered', 'stage1', 'lookBack']));
      for (const [i, step] of long.steps.entries()) {
        const asOf = await sut.queries.asOf(AUDITOR, long.id, new Date(step.at));
        expect(asOf).toEqual(step.status);
        expect({ phase: asOf!.phase, activeStates: asOf!.activeStates, at: step.at }).toEqual({
          phase: replayed[i].phase,
          activeStates: replayed[i].activeStates,
          at: replayed[i].at,
        });
      }
    });

    it('between two events gives the earlier one, before the first event version 0, before the unit null', async () => {
      for (const [i, step] of long.steps.entries()) {
        const before = await sut.queries.asOf(AUDITOR, long.id, new Date(step.at - 1));
        expect(before!.version).toBe(i);
        if (i > 0) expect(before).toEqual(long.steps[i - 1].status);
      }
      expect(await sut.queries.asOf(AUDITOR, long.id, new Date(long.createdAt))).toMatchObject({
        phase: 'registered',
        version: 0,
      });
      expect(await sut.queries.asOf(AUDITOR, long.id, new Date(long.createdAt - 1))).toBeNull();
    });

    it(`folds fewer than ${SNAPSHOT_EVERY} events for any moment: it starts from the nearest stored snapshot`, async () => {
      let most = 0;
      for (const step of long.steps) {
        store.folded = [];
        await sut.queries.asOf(AUDITOR, long.id, new Date(step.at));
        expect(store.folded).toHaveLength(1);
        most = Math.max(most, store.folded[0]);
      }
      expect(most).toBe(SNAPSHOT_EVERY - 1);
    });

    it('runs as many statements at 200 events as at 10', async () => {
      const statementsFor = async (id: string, at: number) => {
        const before = medium.db.statementCount;
        await sut.queries.asOf(AUDITOR, id, new Date(at));
        return medium.db.statementCount - before;
      };
      const atTen = await statementsFor(short.id, short.steps[SHORT - 1].at);
      expect(atTen).toBeGreaterThan(0);
      for (const step of [long.steps[SHORT - 1], long.steps[LONG / 2], long.steps[LONG - 1]])
        expect(await statementsFor(long.id, step.at)).toBe(atTen);
    });
  });

  describe('replay', () => {
    const page = (first: number | null, after: number | null, until: Date | null = null) =>
      sut.queries.replay(AUDITOR, long.id, until, first, after);

    /** Every page of `first` steps, following nextAfter until hasMore is false. */
    async function allPages(first: number, until: Date | null = null): Promise<ReplayModel[]> {
      const pages: ReplayModel[] = [];
      let after: number | null = null;
      for (;;) {
        const next = await page(first, after, until);
        pages.push(next);
        if (!next.hasMore) return pages;
        expect(next.nextAfter).toBe(next.steps[next.steps.length - 1].seq);
        after = next.nextAfter;
      }
    }

    it('pages concatenated equal one big page, each ending where nextAfter says', async () => {
      const unit = (await services.units.findById(long.id))!;
      const big = await sut.audit.replay(unit, null, 0, LONG * 2);
      expect(big.steps.map((s) => s.seq)).toEqual(long.steps.map((s) => s.seq));
      for (const size of [13, 64, 100]) {
        const pages = await allPages(size);
        expect(pages).toHaveLength(Math.ceil(LONG / size));
        expect(pages.flatMap((p) => p.steps).map(stepView)).toEqual(big.steps.map(stepView));
        expect(pages.slice(0, -1).every((p) => p.hasMore && p.steps.length === size)).toBe(true);
        expect(pages[pages.length - 1]).toMatchObject({ hasMore: false, nextAfter: null, diverged: false });
        // whatever the page, the status is where the replay ends
        for (const p of pages) expect(p.status).toEqual(long.steps[LONG - 1].status);
      }
    });

    it('a page in the middle starts from the state the history had there', async () => {
      const replayed = fullReplay(await sut.audit.events(long.id));
      for (const after of [1, 63, 64, 65, 69, 100, 128, 189, 195]) {
        const middle = await page(5, after);
        expect(middle.steps.map((s) => s.seq)).toEqual(
          [1, 2, 3, 4, 5].map((i) => after + i).filter((seq) => seq <= LONG),
        );
        expect(middle.steps[0].stateBefore).toEqual(replayed[after - 1].activeStates);
        for (const s of middle.steps) expect(s.stateAfter).toEqual(replayed[s.seq - 1].activeStates);
      }
    });

    it('stops at until, in every page, and ends at the status then', async () => {
      const step150 = long.steps[149];
      for (const until of [new Date(step150.at), new Date(step150.at + 1)]) {
        const pages = await allPages(100, until);
        expect(pages.map((p) => p.steps.length)).toEqual([100, 50]);
        expect(pages[1]).toMatchObject({ hasMore: false, nextAfter: null });
        for (const p of pages) expect(p.status).toEqual(step150.status);
      }
      const atCreation = await page(10, null, new Date(long.createdAt));
      expect(atCreation).toMatchObject({
        steps: [],
        hasMore: false,
        nextAfter: null,
        status: { phase: 'registered', version: 0 },
      });
      const pastUntil = await page(10, 160, new Date(step150.at));
      expect(pastUntil).toMatchObject({ steps: [], hasMore: false, status: step150.status });
    });

    it('first: 0 answers an empty page that says more follow', async () => {
      const empty = await page(0, 10);
      expect(empty).toMatchObject({ steps: [], hasMore: true, nextAfter: 10 });
    });
  });
});
