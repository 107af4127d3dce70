import { CampaignClient } from '../support/campaign-client.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

describe("acting in another unit's name, and moving the clock", () => {
  let sut: TestApp;
  let admin: CampaignClient;
  let township: string;
  let village: string;

  beforeAll(async () => {
    sut = await startTestApp({ timeTravel: true });
    admin = new CampaignClient(sut, ADMIN);
    township = await admin.createUnit('城关镇党委', 'TOWNSHIP_STREET');
    village = await admin.createUnit('东关村党支部', 'GRASSROOTS', township);
    for (const unit of [township, village]) {
      await admin.mutate('fileStudyPlan', { unitId: unit, topics: ['群众路线'], plannedDays: 1 });
      await admin.send(unit, 'LAUNCH');
    }
    sut.clock.advanceMs(60_000);
  });
  afterAll(async () => {
    await sut.close();
  });

  const opinion = (collectedByUnitId: string) => ({
    targetUnitId: village,
    collectedByUnitId,
    channel: 'HOME_VISIT',
    category: 'FORMALISM',
    text: '走访听到的意见',
    occurredAt: sut.clock.now().toISOString(),
  });

  it('lets a township officer record, for its village, an opinion the township collected', async () => {
    const officer = admin.withPrincipal({ sub: 'township-officer', role: 'OFFICER', scopeUnitId: township });
    expect((await officer.mutate('recordOpinion', opinion(township))).__typename).toBe('OpinionRecorded');
  });

  it('refuses a village officer who says the township collected it: FORBIDDEN, nothing written', async () => {
    const officer = admin.withPrincipal({ sub: 'village-officer', role: 'OFFICER', scopeUnitId: village });
    const before = (await admin.status(village)).version;
    const refused = await officer.mutate('recordOpinion', opinion(township));
    expect(refused.__typename).toBe('GraphQLError');
    expect(refused.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await admin.status(village)).version).toBe(before);
    expect((await officer.mutate('recordOpinion', opinion(village))).__typename).toBe('OpinionRecorded');
  });

  it('lets only an admin of the whole tree move the clock', async () => {
    const scopedAdmin = { sub: 'county-admin', role: 'ADMIN', scopeUnitId: township } as const;
    const refused = await sut.gql('mutation { advanceClock(days: 1) }', {}, scopedAdmin);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const moved = await sut.gql('mutation { advanceClock(days: 1) }', {}, ADMIN);
    expect(moved.errors).toBeUndefined();
  });
});
