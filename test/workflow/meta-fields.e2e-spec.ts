import { CampaignClient } from '../support/campaign-client.js';
import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';

describe("a command's own fields (idempotencyKey, expectedVersion, reason) are input like any other", () => {
  let sut: TestApp;
  let admin: CampaignClient;
  let unit: string;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = new CampaignClient(sut, ADMIN);
    unit = await admin.createUnit('西关村党支部', 'GRASSROOTS');
  });
  afterAll(async () => {
    await sut.close();
  });

  const attempts = async () =>
    (
      await sut.gql(
        `query($id: ID!) { unit(id: $id) { attempts(first: 100) { edges { node { failure message } } } } }`,
        { id: unit },
      )
    ).data!.unit.attempts.edges.map((e: any) => e.node);

  it.each([
    ['idempotencyKey', { idempotencyKey: 'k'.repeat(201) }, /idempotencyKey must be 1–200 characters/],
    ['expectedVersion', { expectedVersion: -1 }, /expectedVersion must be a whole number/],
  ])(
    'refuses a bad %s with InvalidInput naming it, appends nothing, and logs the attempt',
    async (field, extra, message) => {
      const before = await attempts();
      const r = await admin.mutate('fileStudyPlan', { unitId: unit, topics: ['t'], plannedDays: 1, ...extra });
      expect(r).toMatchObject({ __typename: 'InvalidInput', field, message: expect.stringMatching(message) });
      expect((await admin.status(unit)).version).toBe(0);
      const after = await attempts();
      expect(after).toHaveLength(before.length + 1);
      expect(after[after.length - 1]).toMatchObject({
        failure: 'INVALID_INPUT',
        message: expect.stringMatching(message),
      });
    },
  );

  it('refuses an over-long reason on a stage event the same way', async () => {
    const r = await admin.send(unit, 'LAUNCH', { reason: 'r'.repeat(2001) });
    expect(r).toMatchObject({ __typename: 'InvalidInput', field: 'reason' });
    expect((await admin.status(unit)).version).toBe(0);
  });
});
