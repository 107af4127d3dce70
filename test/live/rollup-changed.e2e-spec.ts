import type { Principal } from '../../src/auth/principal.js';
import { OUT_OF_SCOPE } from '../../src/commands/access.js';
import { ChangeFeed } from '../../src/live/change-feed.js';
import { startStory, type StoryClient } from '../support/campaign-client.js';
import { liveClient, LiveStream, until, type LiveClient } from '../support/live-client.js';
import type { TestApp } from '../support/test-app.js';

const ROLLUP_CHANGED =
  'subscription($id: ID!) { rollupChanged(unitId: $id) { unitId units launched refusedStageEvents byPhase { phase count } } }';

/**
 * rollupChanged: a subtree's rollup after commands in it, at most one message a second (the pacing itself is
 * src/live/pacer.spec.ts), only when it changed. The tree: province P → counties A and B.
 */
describe('rollupChanged: live rollups of a subtree', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let feed: ChangeFeed;
  let P: string;
  let A: string;
  let B: string;
  const clients: LiveClient[] = [];
  const connect = (as: Principal) => {
    const c = liveClient(sut.url, { authorization: `Bearer ${sut.token(as)}` });
    clients.push(c);
    return c;
  };
  const WATCHER: Principal = { sub: 'office', role: 'SUPERVISOR', scopeUnitId: null };

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
    feed = sut.app.get(ChangeFeed);
    P = await admin.createUnit('省委', 'LEADERSHIP_BODY');
    A = await admin.createUnit('甲县委', 'LEADERSHIP_BODY', P);
    B = await admin.createUnit('乙县委', 'LEADERSHIP_BODY', P);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await sut.close();
  });

  it('a command in the subtree sends the new rollup; a refused stage event counts; a change elsewhere sends nothing', async () => {
    const forA = new LiveStream(connect(WATCHER).client, ROLLUP_CHANGED, { id: A });
    const forP = new LiveStream(connect(WATCHER).client, ROLLUP_CHANGED, { id: P });
    await until(() => feed.subscriberCount === 2, 'both subscriptions to start');
    // evidence that moves no counter, then a launch: one message, with the launch
    await admin.ok('fileStudyPlan', { unitId: P, topics: ['党章'], plannedDays: 3 });
    await admin.sendOk(P, 'LAUNCH');
    expect(await forP.next()).toEqual({
      rollupChanged: {
        unitId: P,
        units: 3,
        launched: 1,
        refusedStageEvents: 0,
        byPhase: expect.arrayContaining([{ phase: 'stage1', count: 1 }]),
      },
    });
    // a refused stage event under P (on B) counts in P's rollup
    expect((await admin.send(B, 'LAUNCH')).__typename).toBe('TransitionBlocked');
    expect((await forP.next()).rollupChanged).toMatchObject({ launched: 1, refusedStageEvents: 1 });
    // A's subtree saw none of that: its first message is its own launch
    await admin.ok('fileStudyPlan', { unitId: A, topics: ['党章'], plannedDays: 3 });
    await admin.sendOk(A, 'LAUNCH');
    expect(await forA.next()).toEqual({
      rollupChanged: {
        unitId: A,
        units: 1,
        launched: 1,
        refusedStageEvents: 0,
        byPhase: expect.arrayContaining([{ phase: 'stage1', count: 1 }]),
      },
    });
    expect((await forP.next()).rollupChanged).toMatchObject({ launched: 2, refusedStageEvents: 1 });
    forA.stop();
    forP.stop();
    await until(() => feed.subscriberCount === 0, 'the subscriptions to end');
  });

  it('a subtree outside the scope is refused as a missing unit is', async () => {
    const officer: Principal = { sub: 'officer-a', role: 'OFFICER', scopeUnitId: A };
    const outside = new LiveStream(connect(officer).client, ROLLUP_CHANGED, { id: P });
    const missing = new LiveStream(connect(officer).client, ROLLUP_CHANGED, {
      id: '01900000-0000-7000-8000-000000000000',
    });
    const [e1, e2] = (await Promise.all([outside.failure(), missing.failure()])) as {
      message: string;
      extensions: { code: string };
    }[][];
    expect(e1).toEqual(e2);
    expect(e1[0]).toMatchObject({ message: OUT_OF_SCOPE, extensions: { code: 'FORBIDDEN' } });
  });
});
