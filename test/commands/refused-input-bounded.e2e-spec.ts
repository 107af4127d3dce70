import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient } from '../support/campaign-client.js';
import { attemptBytes, attemptLengths } from './command-support.js';

const OFFICER = { sub: 'officer-gao', role: 'OFFICER', scopeUnitId: null } as const;

/** Just under the 1 MiB body limit once wrapped in a GraphQL request. */
const HUGE = 900_000;
/** What the attempts log may keep of one refusal (payload and detail together), in characters. */
const ROW_BUDGET = 4096;

/**
 * A refused command is kept in the attempts log, but never as sent: a ~900 KB field costs the log a bounded summary.
 * (Found on the old main: the refused input was stored whole, so each refusal grew the table by the body's size.)
 */
describe('refused input is kept bounded in the attempts log', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let unit: string;
  let planless: string;

  beforeAll(async () => {
    ({ sut, admin, officer } = await startStory(OFFICER));
    unit = await admin.createUnit('石桥村党支部', 'GRASSROOTS');
    planless = await admin.createUnit('柳林村党支部', 'GRASSROOTS');
    await launch(officer, unit);
  });
  afterAll(async () => {
    await sut.close();
  });

  const session = (topic: string) => ({
    unitId: unit,
    format: 'SELF_STUDY',
    occurredAt: officer.now(),
    hours: 1,
    attendees: 5,
    topic,
  });

  it('a ~900 KB topic → InvalidInput on topic; the attempts row keeps under 4 KiB and the topic clipped', async () => {
    const before = await attemptLengths(sut, unit);
    const answer = await officer.refused(unit, 'recordStudySession', () =>
      officer.mutate('recordStudySession', session('x'.repeat(HUGE))),
    );
    expect(answer).toMatchObject({ __typename: 'InvalidInput', errorCode: 'INVALID_INPUT', field: 'topic' });
    // the answer does not echo the input either
    expect(JSON.stringify(answer).length).toBeLessThan(500);

    const rows = await attemptLengths(sut, unit);
    expect(rows).toHaveLength(before.length + 1);
    const row = rows[rows.length - 1];
    expect(row.payload + row.detail).toBeLessThan(ROW_BUDGET);

    const res = await sut.gql(
      'query($id: ID!) { unit(id: $id) { attempts(first: 100) { edges { node { field payload } } } } }',
      { id: unit },
    );
    const last = res.data!.unit.attempts.edges.at(-1).node;
    expect(last.field).toBe('topic');
    expect(JSON.parse(last.payload).topic).toBe(`${'x'.repeat(200)}…(+${HUGE - 200})`);

    // the same command with a topic of 200 characters is accepted: the refusal was the topic's length
    expect((await officer.mutate('recordStudySession', session('y'.repeat(200)))).__typename).toBe('EvidenceRecorded');
  });

  it('40 such refusals grow the attempts table by well under 1 MB (each under 4 KiB)', async () => {
    const bytesBefore = await attemptBytes(sut);
    const version = (await admin.status(unit)).version;
    for (let i = 0; i < 40; i++) {
      const answer = await officer.mutate('recordStudySession', session(String(i % 10).repeat(HUGE)));
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'topic' });
    }
    const grown = (await attemptBytes(sut)) - bytesBefore;
    expect(grown).toBeGreaterThan(0);
    // at most 40 × 4 KiB = 160 KiB: well under 1 MB (the bodies sent were 36 MB)
    expect(grown).toBeLessThan(40 * ROW_BUDGET);
    expect((await admin.status(unit)).version).toBe(version);
    for (const row of await attemptLengths(sut, unit)) expect(row.payload + row.detail).toBeLessThan(ROW_BUDGET);
  });

  it('attempts { payload } read through 50 aliases returns the clipped summary every time', async () => {
    const aliases = Array.from(
      { length: 50 },
      (_, i) => `a${i}: attempts(first: 100) { edges { node { payload } } }`,
    ).join(' ');
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${sut.token({ sub: 'auditor-zhou', role: 'AUDITOR', scopeUnitId: null })}`,
      },
      body: JSON.stringify({ query: `query($id: ID!) { unit(id: $id) { ${aliases} } }`, variables: { id: unit } }),
    });
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body.errors).toBeUndefined();
    const payloads: string[] = Object.values(body.data.unit).flatMap((page: any) =>
      page.edges.map((e: any) => e.node.payload),
    );
    expect(payloads).toHaveLength(50 * 41);
    for (const payload of payloads) {
      expect(payload.length).toBeLessThan(ROW_BUDGET);
      expect(JSON.parse(payload).topic).toMatch(/^(.)\1{199}…\(\+899800\)$/);
    }
    // 2,050 summaries, not 2,050 copies of 900 KB
    expect(text.length).toBeLessThan(50 * 41 * 1000);
  });

  it.each<[string, string, () => [string, Record<string, unknown>]]>([
    ['reason', 'LAUNCH', () => ['sendEvent', { unitId: planless, event: 'LAUNCH', reason: 'r'.repeat(HUGE) }]],
    [
      'idempotencyKey',
      'recordFilmScreening',
      () => [
        'recordFilmScreening',
        { unitId: unit, title: '焦裕禄', occurredAt: officer.now(), idempotencyKey: 'k'.repeat(HUGE) },
      ],
    ],
    [
      'lecturer',
      'recordPartyLecture',
      () => ['recordPartyLecture', { unitId: unit, lecturer: '李'.repeat(HUGE / 3), occurredAt: officer.now() }],
    ],
    [
      'text',
      'recordOpinion',
      () => [
        'recordOpinion',
        {
          targetUnitId: unit,
          collectedByUnitId: unit,
          channel: 'FORUM',
          category: 'WORK',
          text: '意'.repeat(HUGE / 3),
          occurredAt: officer.now(),
        },
      ],
    ],
    // a stage event's attempt is logged under the event's name: the name sent, cut to the column's 40 characters
    ['event', 'E'.repeat(40), () => ['sendEvent', { unitId: planless, event: 'E'.repeat(HUGE) }]],
    [
      'topics[0]',
      'fileStudyPlan',
      () => [
        'fileStudyPlan',
        { unitId: planless, topics: Array.from({ length: 100 }, () => '王'.repeat(2000)), plannedDays: 1 },
      ],
    ],
  ])('a huge %s is refused naming it and kept under 4 KiB', async (field, command, build) => {
    const [mutation, input] = build();
    const target = (input.unitId ?? input.targetUnitId) as string;
    const answer = await officer.refused(target, command, () => officer.mutate(mutation, input));
    expect(answer).toMatchObject({ __typename: 'InvalidInput', field });
    const row = (await attemptLengths(sut, target)).at(-1)!;
    expect(row.payload + row.detail).toBeLessThan(ROW_BUDGET);
  });
});
