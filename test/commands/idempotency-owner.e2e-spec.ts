import type { Principal } from '../../src/auth/principal.js';
import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient } from '../support/campaign-client.js';

const SEL = '... on EvidenceRecorded { eventSeq status { version } }';
const STAGE_SEL = '... on TransitionAccepted { eventSeq status { phase version } }';

/**
 * An idempotency key belongs to who sent it: sub, role and scope together. (Found on the old main: keys were filed
 * under the sub alone, so an ADMIN "li" retrying replayed the answer the OFFICER "li" had been given, and a retry
 * with another reason or expectedVersion replayed the first answer instead of being refused.)
 */
describe('idempotency keys belong to (sub, role, scope) and cover the whole input', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let township: string;
  let village: string;

  const li = (role: Principal['role'], scopeUnitId: string | null = null) =>
    admin.withPrincipal({ sub: 'li', role, scopeUnitId });
  const film = (key: string) => ({ unitId: village, title: '焦裕禄', occurredAt: admin.now(), idempotencyKey: key });
  const films = async () =>
    (await admin.historyNodes(village)).filter((e) => e.type === 'FILM_SCREENING').map((e) => `${e.actor}/${e.role}`);

  beforeAll(async () => {
    ({ sut, admin } = await startStory());
    township = await admin.createUnit('城关镇党委', 'TOWNSHIP_STREET');
    village = await admin.createUnit('城关村党支部', 'GRASSROOTS', township);
    await launch(admin, township);
    await launch(admin, village);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('ADMIN "li" and OFFICER "li", one key and one input: each its own answer, two events; each retry replays its own', async () => {
    const before = (await admin.status(village)).version;
    const asAdmin = await li('ADMIN').mutate('recordFilmScreening', film('film-li'), SEL);
    const asOfficer = await li('OFFICER').mutate('recordFilmScreening', film('film-li'), SEL);
    expect([asAdmin.eventSeq, asOfficer.eventSeq]).toEqual([before + 1, before + 2]);
    expect(await films()).toEqual(['li/ADMIN', 'li/OFFICER']);

    expect(await li('ADMIN').mutate('recordFilmScreening', film('film-li'), SEL)).toEqual(asAdmin);
    expect(await li('OFFICER').mutate('recordFilmScreening', film('film-li'), SEL)).toEqual(asOfficer);
    expect((await admin.status(village)).version).toBe(before + 2);
  });

  it('the same sub and role with two scopes: two principals, two events', async () => {
    const before = (await admin.status(village)).version;
    const ofTownship = await li('OFFICER', township).mutate('recordFilmScreening', film('film-scoped'), SEL);
    const ofVillage = await li('OFFICER', village).mutate('recordFilmScreening', film('film-scoped'), SEL);
    expect([ofTownship.eventSeq, ofVillage.eventSeq]).toEqual([before + 1, before + 2]);
    expect(await li('OFFICER', township).mutate('recordFilmScreening', film('film-scoped'), SEL)).toEqual(ofTownship);
    expect(await li('OFFICER', village).mutate('recordFilmScreening', film('film-scoped'), SEL)).toEqual(ofVillage);
    expect((await admin.status(village)).version).toBe(before + 2);
  });

  describe('the same principal retrying with another reason or expectedVersion → IdempotencyKeyReused', () => {
    let unit: string;
    const officer = () => li('OFFICER');
    const launchWith = (extra: Record<string, unknown>) =>
      officer().send(unit, 'LAUNCH', { idempotencyKey: 'launch-once', ...extra });

    beforeAll(async () => {
      unit = await admin.createUnit('东关村党支部', 'GRASSROOTS');
      await officer().ok('fileStudyPlan', { unitId: unit, topics: ['党章'], plannedDays: 1 });
    });

    it('the first use is accepted and an identical retry replays it', async () => {
      const first = await officer().mutate(
        'sendEvent',
        { unitId: unit, event: 'LAUNCH', idempotencyKey: 'launch-once', reason: '按计划启动', expectedVersion: 1 },
        STAGE_SEL,
      );
      expect(first).toEqual({ __typename: 'TransitionAccepted', eventSeq: 2, status: { phase: 'stage1', version: 2 } });
      expect(
        await officer().mutate(
          'sendEvent',
          { unitId: unit, event: 'LAUNCH', idempotencyKey: 'launch-once', reason: '按计划启动', expectedVersion: 1 },
          STAGE_SEL,
        ),
      ).toEqual(first);
    });

    it.each<[string, Record<string, unknown>]>([
      ['another reason', { reason: '提前启动', expectedVersion: 1 }],
      ['no reason', { expectedVersion: 1 }],
      ['another expectedVersion', { reason: '按计划启动', expectedVersion: 2 }],
      ['no expectedVersion', { reason: '按计划启动' }],
    ])('%s → IdempotencyKeyReused, nothing appended, logged', async (_what, extra) => {
      const answer = await officer().refused(unit, 'LAUNCH', () => launchWith(extra));
      expect(answer).toMatchObject({ __typename: 'IdempotencyKeyReused', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });

  describe('createUnit with a key', () => {
    const children = async () =>
      (
        await sut.gql('query($id: ID) { units(parentId: $id, first: 100) { edges { node { id name } } } }', {
          id: township,
        })
      ).data!.units.edges.map((e: any) => e.node);
    const create = (as: StoryClient, name: string, kind = 'GRASSROOTS') =>
      as.mutate(
        'createUnit',
        { name, kind, parentId: township, idempotencyKey: 'new-village' },
        '... on UnitCreated { unit { id name } }',
      );

    it('a retry gives the same unit and creates one row; another input → IdempotencyKeyReused, nothing created', async () => {
      const before = await children();
      const first = await create(admin, '新建村党支部');
      expect(first.__typename).toBe('UnitCreated');
      expect(await create(admin, '新建村党支部')).toEqual(first);
      expect(await children()).toEqual([...before, first.unit]);

      for (const [name, kind] of [
        ['另一个村党支部', 'GRASSROOTS'],
        ['新建村党支部', 'NON_PUBLIC_SOCIAL'],
      ]) {
        expect(await create(admin, name, kind)).toMatchObject({
          __typename: 'IdempotencyKeyReused',
          errorCode: 'IDEMPOTENCY_KEY_REUSED',
        });
      }
      expect(await children()).toEqual([...before, first.unit]);
    });

    it('another admin with the same key and input creates its own unit', async () => {
      const before = await children();
      const theirs = await create(
        admin.withPrincipal({ sub: 'admin-other', role: 'ADMIN', scopeUnitId: null }),
        '新建村党支部',
      );
      expect(theirs.__typename).toBe('UnitCreated');
      expect(await children()).toEqual([...before, theirs.unit]);
    });
  });
});
