import { OversightService } from '../../src/oversight/oversight.service.js';
import type { TestApp } from '../support/test-app.js';
import { DAY, launch, startStory, type StoryClient } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-liu', role: 'OFFICER', scopeUnitId: null } as const;

describe('laggards and rushing: who is idle, who keeps asking too early — oldest and most first, paged', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;

  beforeEach(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
  });
  afterEach(async () => {
    await sut.close();
  });

  const ids = async (field: 'laggards' | 'rushing', args: string, vars: Record<string, unknown>) => {
    const res = await sut.gql(
      `query($id: ID!, $after: String) { ${field}(underId: $id, ${args} after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } }`,
      vars,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data![field] as {
      edges: { node: { id: string; name: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  const names = async (field: 'laggards' | 'rushing', id: string, args = '') =>
    (await ids(field, args, { id })).edges.map((e) => e.node.name);

  it('laggards: idle at least idleDays since the last accepted event or creation — or, still registered, since the parent launched', async () => {
    const t0 = sut.clock.now().getTime();
    const province = await admin.createUnit('省', 'LEADERSHIP_BODY', null, 1);
    const county = await admin.createUnit('县', 'TOWNSHIP_STREET', province);
    await admin.createUnit('村一', 'GRASSROOTS', county);
    await admin.createUnit('村二', 'GRASSROOTS', county);

    sut.clock.set(new Date(t0 + 3 * DAY));
    await launch(officer, province);
    sut.clock.set(new Date(t0 + 8 * DAY));
    // the county, the villages: idle since their creation 8 days ago; the province launched 5 days ago
    expect(await names('laggards', province)).toEqual(['县', '村一', '村二']);
    expect(await names('laggards', province, 'idleDays: 5,')).toEqual(['县', '村一', '村二', '省']);
    expect(await names('laggards', county, 'kind: GRASSROOTS,')).toEqual(['村一', '村二']);

    await launch(officer, county);
    sut.clock.set(new Date(t0 + 9 * DAY));
    await admin.createUnit('村三', 'GRASSROOTS', county);
    sut.clock.set(new Date(t0 + 15 * DAY + DAY / 2));
    // 村三 exists for 6.5 days only, but its parent launched 7.5 days ago and it has not started (还没部署的…尽快启动部署)
    expect(await names('laggards', province)).toEqual(['村一', '村二', '省', '县', '村三']);

    await officer.session(province, 'CONCENTRATED');
    expect(await names('laggards', province)).toEqual(['村一', '村二', '县', '村三']);

    const first = await ids('laggards', 'first: 3,', { id: province, after: null });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await ids('laggards', 'first: 3,', { id: province, after: first.pageInfo.endCursor });
    expect([...first.edges, ...rest.edges].map((e) => e.node.name)).toEqual(['村一', '村二', '县', '村三']);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const bad = await sut.gql(`query($id: ID!) { laggards(underId: $id, after: "eA") { edges { node { id } } } }`, {
      id: province,
    });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('laggards: a registered unit that files evidence after its parent launched stays idle since the launch', async () => {
    const t0 = sut.clock.now().getTime();
    const province = await admin.createUnit('省', 'LEADERSHIP_BODY', null, 1);
    const a = await admin.createUnit('村甲', 'GRASSROOTS', province);
    await admin.createUnit('村乙', 'GRASSROOTS', province);
    sut.clock.set(new Date(t0 + 1 * DAY));
    await launch(officer, province);
    sut.clock.set(new Date(t0 + 3 * DAY));
    // a study plan is evidence: 村甲 is still registered, and has not started what its parent started two days ago
    await officer.ok('fileStudyPlan', { unitId: a, topics: ['党章'], plannedDays: 5 });
    sut.clock.set(new Date(t0 + 8 * DAY + DAY / 2));
    expect(await names('laggards', province, 'kind: GRASSROOTS,')).toEqual(['村乙', '村甲']);
    expect(await names('laggards', province, 'idleDays: 8, kind: GRASSROOTS,')).toEqual(['村乙']);

    await officer.sendOk(a, 'LAUNCH');
    expect(await names('laggards', province, 'kind: GRASSROOTS,')).toEqual(['村乙']);
  });

  it('rushing: at least minAttempts refused stage events in the window, most first; the window forgets', async () => {
    const province = await admin.createUnit('省', 'LEADERSHIP_BODY', null, 1);
    const a = await admin.createUnit('甲', 'GRASSROOTS', province);
    const b = await admin.createUnit('乙', 'GRASSROOTS', province);
    const c = await admin.createUnit('丙', 'GRASSROOTS', province);
    const refuse = async (unit: string, times: number) => {
      for (let i = 0; i < times; i++) expect((await officer.send(unit, 'LAUNCH')).__typename).toBe('TransitionBlocked');
    };
    await refuse(b, 3);
    await refuse(a, 4);
    await refuse(c, 2);
    await officer.mutate('recordStudySession', {
      unitId: c,
      format: 'CONCENTRATED',
      occurredAt: officer.now(),
      hours: 2,
      attendees: 9,
    }); // refused, not a stage event

    expect(await names('rushing', province)).toEqual(['甲', '乙']);
    expect(await names('rushing', province, 'minAttempts: 2,')).toEqual(['甲', '乙', '丙']);
    expect(await names('rushing', b)).toEqual(['乙']);

    const first = await ids('rushing', 'first: 1, minAttempts: 2,', { id: province, after: null });
    const second = await ids('rushing', 'first: 1, minAttempts: 2,', { id: province, after: first.pageInfo.endCursor });
    const third = await ids('rushing', 'first: 1, minAttempts: 2,', { id: province, after: second.pageInfo.endCursor });
    expect([first, second, third].map((p) => p.edges[0].node.name)).toEqual(['甲', '乙', '丙']);
    expect(third.pageInfo.hasNextPage).toBe(false);

    sut.clock.advanceDays(7);
    expect(await names('rushing', province)).toEqual([]);
    expect(await names('rushing', province, 'sinceDays: 8,')).toEqual(['甲', '乙']);
  });

  it('laggards and rushing under a unit on the last level of the tree: the unit itself', async () => {
    let parent: string | null = null;
    const chain: string[] = [];
    for (const [i, kind] of (
      ['LEADERSHIP_BODY', 'LEADERSHIP_BODY', 'LEADERSHIP_BODY', 'TOWNSHIP_STREET', 'GRASSROOTS', 'GRASSROOTS'] as const
    ).entries())
      chain.push(
        (parent = await admin.createUnit(`第${i}级`, kind, parent, kind === 'LEADERSHIP_BODY' ? 1 : undefined)),
      );
    const last = chain[5];
    sut.clock.advanceDays(8);
    expect(await names('laggards', last)).toEqual(['第5级']);
    expect((await officer.send(last, 'LAUNCH')).__typename).toBe('TransitionBlocked');
    expect(await names('rushing', last, 'minAttempts: 1,')).toEqual(['第5级']);
    expect(await names('rushing', chain[4], 'minAttempts: 1,')).toEqual(['第5级']);
  });

  it('rushing: a question wider than its bound (rows of a unit and a day) is refused with where to look instead', async () => {
    const province = await admin.createUnit('省', 'LEADERSHIP_BODY', null, 1);
    const county = await admin.createUnit('县', 'TOWNSHIP_STREET', province);
    const a = await admin.createUnit('甲', 'GRASSROOTS', county);
    const b = await admin.createUnit('乙', 'GRASSROOTS', province);
    const refuse = async (unit: string) =>
      expect((await officer.send(unit, 'LAUNCH')).__typename).toBe('TransitionBlocked');
    // four rows: 甲 on two days, 乙 on two days (two refusals the first day: still one row)
    await refuse(a);
    await refuse(b);
    await refuse(b);
    sut.clock.advanceDays(1);
    await refuse(a);
    await refuse(b);
    sut.app.get(OversightService).rushingMaxRefusalDays = 3;
    const wide = await sut.gql(`query($id: ID!) { rushing(underId: $id, minAttempts: 1) { edges { node { id } } } }`, {
      id: province,
    });
    expect(wide.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      [
        'BAD_USER_INPUT',
        expect.stringMatching(
          /^rushing under this unit over 7 days would rank more than 3 days .*lower in the tree.*refusedStageEvents\(sinceDays\)/,
        ),
      ],
    ]);
    // a page of none asks nothing of the rows: answered, empty
    const none = await sut.gql(`query($id: ID!) { rushing(underId: $id, first: 0) { edges { node { id } } } }`, {
      id: province,
    });
    expect(none).toEqual({ data: { rushing: { edges: [] } } });
    // the county's two rows, the province over the last day's two: answered
    expect(await names('rushing', county, 'minAttempts: 1,')).toEqual(['甲']);
    expect(await names('rushing', province, 'minAttempts: 1, sinceDays: 1,')).toEqual(['甲', '乙']);
    sut.app.get(OversightService).rushingMaxRefusalDays = 4;
    expect(await names('rushing', province, 'minAttempts: 1,')).toEqual(['乙', '甲']);
  });
});
