import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

const TRANSITIONS = `query($id: ID!) { unit(id: $id) { transitions { event blockers { code message required actual } } } }`;
const SEND = `mutation($input: SendEventInput!) { sendEvent(input: $input) {
  __typename ... on ErrorResult { errorCode message } ... on TransitionBlocked { blockers { code message } } } }`;
const ATTEMPTS = `query($id: ID!) { unit(id: $id) { attempts(first: 5) { edges { node { failure message blockers { code message } } } } } }`;
const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { __typename ... on UnitCreated { unit { id } } ... on ErrorResult { errorCode message } } }`;

describe("the API's blocker and refusal messages follow Accept-Language", () => {
  let sut: TestApp;
  let unitId: string;

  async function gql(query: string, variables: Record<string, unknown>, acceptLanguage?: string) {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${sut.token(ADMIN)}`,
        ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  beforeAll(async () => {
    sut = await startTestApp();
    unitId = (await gql(CREATE, { input: { name: '东风村党支部', kind: 'GRASSROOTS' } })).createUnit.unit.id;
  });
  afterAll(async () => sut.close());

  const launchBlockers = async (acceptLanguage?: string) =>
    (await gql(TRANSITIONS, { id: unitId }, acceptLanguage)).unit.transitions.find(
      (t: { event: string }) => t.event === 'LAUNCH',
    ).blockers;

  it('answers in English without the header, and in Chinese for zh-CN, with the same codes, required and actual', async () => {
    const english = await launchBlockers();
    const chinese = await launchBlockers('zh-CN,zh;q=0.9,en;q=0.8');
    expect(english.map((b: { code: string }) => b.code)).toContain('STUDY_PLAN_MISSING');
    expect(chinese.map(({ code, required, actual }: Record<string, string>) => ({ code, required, actual }))).toEqual(
      english.map(({ code, required, actual }: Record<string, string>) => ({ code, required, actual })),
    );
    const plan = (list: { code: string; message: string }[]) =>
      list.find((b) => b.code === 'STUDY_PLAN_MISSING')!.message;
    expect(plan(english)).toMatch(/study plan/);
    expect(plan(chinese)).toMatch(/学习计划/);
  });

  it('picks the preferred language the service has: English when it comes first, Chinese for zh-Hans, English for others', async () => {
    const plan = async (header: string) =>
      (await launchBlockers(header)).find((b: { code: string }) => b.code === 'STUDY_PLAN_MISSING').message;
    expect(await plan('en-GB,zh-CN;q=0.5')).toMatch(/study plan/);
    expect(await plan('fr-FR,zh-Hans;q=0.7,en;q=0.3')).toMatch(/学习计划/);
    expect(await plan('de,fr')).toMatch(/study plan/);
    expect(await plan('zh;q=0,en')).toMatch(/study plan/);
  });

  it('translates a refused stage event, its blockers and the attempt kept of it; the error code stays', async () => {
    const refused = (await gql(SEND, { input: { unitId, event: 'LAUNCH' } }, 'zh-CN')).sendEvent;
    expect(refused).toMatchObject({ __typename: 'TransitionBlocked', errorCode: 'TRANSITION_BLOCKED' });
    expect(refused.message).toBe('启动（LAUNCH）未获准：STUDY_PLAN_MISSING。');
    expect(refused.blockers[0].message).toMatch(/学习计划/);
    const [attempt] = (await gql(ATTEMPTS, { id: unitId }, 'zh-CN')).unit.attempts.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(attempt).toMatchObject({
      failure: 'TRANSITION_BLOCKED',
      message: '启动（LAUNCH）未获准：STUDY_PLAN_MISSING。',
    });
    const [stored] = (await gql(ATTEMPTS, { id: unitId })).unit.attempts.edges.map((e: { node: unknown }) => e.node);
    expect(stored.message).toBe('LAUNCH is blocked: STUDY_PLAN_MISSING');
  });

  it('translates the other refusals by their type', async () => {
    const missing = '00000000-0000-7000-8000-000000000000';
    const notFound = (await gql(SEND, { input: { unitId: missing, event: 'LAUNCH' } }, 'zh-CN')).sendEvent;
    expect(notFound).toEqual({ __typename: 'NotFound', errorCode: 'NOT_FOUND', message: `未找到单位 ${missing}。` });
    const stale = (await gql(SEND, { input: { unitId, event: 'LAUNCH', expectedVersion: 7 } }, 'zh-CN')).sendEvent;
    expect(stale).toMatchObject({ errorCode: 'VERSION_CONFLICT', message: expect.stringMatching(/当前版本为 0/) });
  });
});
