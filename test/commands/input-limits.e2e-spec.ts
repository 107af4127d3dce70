import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient, toLookBack } from '../support/campaign-client.js';
import { sendToSubtree } from './command-support.js';

const OFFICER = { sub: 'officer-ma', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-niu', role: 'SUPERVISOR', scopeUnitId: null } as const;

/** A field's limit: how to send a value in it, what it answers when accepted, and what the attempts log calls it. */
interface Limit {
  field: string;
  limit: number;
  /** the command's name in the attempts log */
  loggedAs: string;
  /** the mutation, when the log names the stage event instead */
  via?: string;
  unit: () => string;
  /** what must exist first (an open problem to rectify…): made before the footprint is taken, passed to `send` */
  prepare?: () => Promise<string>;
  send: (value: string, prepared: string) => Promise<any>;
  success: string;
  /** the character a value is made of (CJK for texts: what a 10,000-character opinion looks like) */
  char?: string;
}

/**
 * Every input limit at the limit (accepted) and one over (InvalidInput naming the field, nothing appended, logged).
 * (Found on the old main: only some fields had limits, and the ones that had them did not name the field.)
 */
describe('every input limit at limit and limit + 1', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  /** in stage1: evidence and findings */
  let launched: string;
  /** registered, a study plan filed: study plans, LAUNCH */
  let registered: string;
  /** in lookBack: verdicts */
  let judged: string;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    judged = await admin.createUnit('北坡村党支部', 'GRASSROOTS');
    await toLookBack(officer, judged, 'GRASSROOTS');
    launched = await admin.createUnit('南坡村党支部', 'GRASSROOTS');
    await launch(officer, launched);
    registered = await admin.createUnit('西坡村党支部', 'GRASSROOTS');
    await officer.ok('fileStudyPlan', { unitId: registered, topics: ['党章'], plannedDays: 1 });
  });
  afterAll(async () => {
    await sut.close();
  });

  const now = () => officer.now();
  const problem = () => officer.problem(launched, false);
  const finding = async () =>
    (
      await supervisor.ok(
        'issueFinding',
        { unitId: launched, kind: 'SHALLOW_STUDY', note: '学习不深' },
        '... on FindingIssued { findingId }',
      )
    ).findingId as string;

  const LIMITS: Limit[] = [
    // texts: 10,000
    {
      field: 'text',
      limit: 10_000,
      loggedAs: 'recordOpinion',
      unit: () => launched,
      success: 'OpinionRecorded',
      char: '意',
      send: (text) =>
        officer.mutate('recordOpinion', {
          targetUnitId: launched,
          collectedByUnitId: launched,
          channel: 'FORUM',
          category: 'WORK',
          text,
          occurredAt: now(),
        }),
    },
    {
      field: 'description',
      limit: 10_000,
      loggedAs: 'identifyProblem',
      unit: () => launched,
      success: 'ProblemIdentified',
      char: '题',
      send: (description) =>
        officer.mutate('identifyProblem', { unitId: launched, category: '形式主义', description, fixAtOnce: false }),
    },
    {
      field: 'action',
      limit: 10_000,
      loggedAs: 'rectifyProblem',
      unit: () => launched,
      success: 'EvidenceRecorded',
      char: '改',
      prepare: problem,
      send: (action, problemId) =>
        officer.mutate('rectifyProblem', { unitId: launched, problemId, action, occurredAt: now() }),
    },
    {
      field: 'note',
      limit: 10_000,
      loggedAs: 'issueFinding',
      unit: () => launched,
      success: 'FindingIssued',
      char: '督',
      send: (note) => supervisor.mutate('issueFinding', { unitId: launched, kind: 'LAZY_THINKING', note }),
    },
    {
      field: 'response',
      limit: 10_000,
      loggedAs: 'resolveFinding',
      unit: () => launched,
      success: 'FindingResolved',
      char: '复',
      prepare: finding,
      send: (response, findingId) => supervisor.mutate('resolveFinding', { unitId: launched, findingId, response }),
    },
    {
      field: 'note',
      limit: 10_000,
      loggedAs: 'recordLookBackVerdict',
      unit: () => judged,
      success: 'VerdictRecorded',
      char: '评',
      send: (note) =>
        supervisor.mutate('recordLookBackVerdict', { unitId: judged, item: 'STUDY', verdict: 'PASS', note }),
    },
    // labels: 200 (category 100)
    {
      field: 'title',
      limit: 200,
      loggedAs: 'recordFilmScreening',
      unit: () => launched,
      success: 'EvidenceRecorded',
      char: '影',
      send: (title) => officer.mutate('recordFilmScreening', { unitId: launched, title, occurredAt: now() }),
    },
    {
      field: 'topic',
      limit: 200,
      loggedAs: 'recordStudySession',
      unit: () => launched,
      success: 'EvidenceRecorded',
      char: '学',
      send: (topic) =>
        officer.mutate('recordStudySession', {
          unitId: launched,
          format: 'SELF_STUDY',
          occurredAt: now(),
          hours: 1,
          attendees: 3,
          topic,
        }),
    },
    {
      field: 'topics[1]',
      limit: 200,
      loggedAs: 'fileStudyPlan',
      unit: () => registered,
      success: 'EvidenceRecorded',
      char: '讲',
      send: (topic) => officer.mutate('fileStudyPlan', { unitId: registered, topics: ['党章', topic], plannedDays: 1 }),
    },
    {
      field: 'category',
      limit: 100,
      loggedAs: 'identifyProblem',
      unit: () => launched,
      success: 'ProblemIdentified',
      char: '类',
      send: (category) =>
        officer.mutate('identifyProblem', { unitId: launched, category, description: '会议过多', fixAtOnce: false }),
    },
    // names and keys: 200; reasons: 2,000
    {
      field: 'lecturer',
      limit: 200,
      loggedAs: 'recordPartyLecture',
      unit: () => launched,
      success: 'EvidenceRecorded',
      char: '李',
      send: (lecturer) => officer.mutate('recordPartyLecture', { unitId: launched, lecturer, occurredAt: now() }),
    },
    {
      field: 'idempotencyKey',
      limit: 200,
      loggedAs: 'recordFilmScreening',
      unit: () => launched,
      success: 'EvidenceRecorded',
      char: 'k',
      send: (idempotencyKey) =>
        officer.mutate('recordFilmScreening', { unitId: launched, title: '焦裕禄', occurredAt: now(), idempotencyKey }),
    },
    {
      field: 'reason',
      limit: 2_000,
      loggedAs: 'COMPLETE_STUDY',
      via: 'overrideTransition',
      unit: () => launched,
      success: 'TransitionAccepted',
      char: '因',
      send: (reason) => admin.mutate('overrideTransition', { unitId: launched, event: 'COMPLETE_STUDY', reason }),
    },
    {
      field: 'reason',
      limit: 2_000,
      loggedAs: 'LAUNCH',
      via: 'sendEvent',
      unit: () => registered,
      success: 'TransitionAccepted',
      char: '由',
      send: (reason) => officer.send(registered, 'LAUNCH', { reason }),
    },
  ];

  // one over first (it must change nothing), then at the limit: the accepted command may move the unit on
  it.each(LIMITS.map((l) => [l.via ?? l.loggedAs, l.field, l.limit, l] as const))(
    '%s.%s: %i accepted, one more refused naming it',
    async (_c, field, limit, l) => {
      const value = (n: number) => (l.char ?? 'x').repeat(n);
      const prepared = (await l.prepare?.()) ?? '';
      const over = await officer.refused(l.unit(), l.loggedAs, () => l.send(value(limit + 1), prepared));
      expect(over).toMatchObject({ __typename: 'InvalidInput', errorCode: 'INVALID_INPUT', field });
      expect(over.message).toContain(String(limit));
      expect((await l.send(value(limit), prepared)).__typename).toBe(l.success);
    },
  );

  it('fileStudyPlan.topics: 100 topics accepted, 101 refused naming topics', async () => {
    const topics = (n: number) => Array.from({ length: n }, (_, i) => `专题${i + 1}`);
    const over = await officer.refused(registered, 'fileStudyPlan', () =>
      officer.mutate('fileStudyPlan', { unitId: registered, topics: topics(101), plannedDays: 1 }),
    );
    expect(over).toMatchObject({ __typename: 'InvalidInput', field: 'topics' });
    const unit = await admin.createUnit('东坡村党支部', 'GRASSROOTS');
    expect(
      (await officer.mutate('fileStudyPlan', { unitId: unit, topics: topics(100), plannedDays: 1 })).__typename,
    ).toBe('EvidenceRecorded');
  });

  it('a text at the limit is stored whole', async () => {
    const text = '众'.repeat(10_000);
    const r = await officer.mutate(
      'recordOpinion',
      {
        targetUnitId: launched,
        collectedByUnitId: launched,
        channel: 'FORUM',
        category: 'WORK',
        text,
        occurredAt: now(),
      },
      '... on OpinionRecorded { eventSeq }',
    );
    const [row] = await sut.db.query<{ payload: string }>(
      'SELECT payload FROM unit_events WHERE unit_id = ? AND seq = ?',
      [launched, r.eventSeq],
    );
    expect(JSON.parse(row.payload).text).toBe(text);
  });

  describe("a lecturer's name is measured after normalisation (NFKC, trimmed, inner whitespace collapsed)", () => {
    const lecture = (lecturer: string) =>
      officer.mutate(
        'recordPartyLecture',
        { unitId: launched, lecturer, occurredAt: now() },
        '... on EvidenceRecorded { eventSeq }',
      );
    const storedLecturer = async (seq: number) =>
      JSON.parse(
        (
          await sut.db.query<{ payload: string }>('SELECT payload FROM unit_events WHERE unit_id = ? AND seq = ?', [
            launched,
            seq,
          ])
        )[0].payload,
      ).lecturer;

    it.each<[string, string, string]>([
      ['200 with spaces around (206 sent)', `   ${'李'.repeat(200)}   `, '李'.repeat(200)],
      [
        '200 with two ideographic spaces inside (201 sent)',
        `${'李'.repeat(100)}\u3000\u3000${'李'.repeat(99)}`,
        `${'李'.repeat(100)} ${'李'.repeat(99)}`,
      ],
      ['200 full-width letters', 'Ｌ'.repeat(200), 'L'.repeat(200)],
    ])('%s → accepted, stored normalised', async (_what, sent, stored) => {
      const r = await lecture(sent);
      expect(r.__typename).toBe('EvidenceRecorded');
      expect(await storedLecturer(r.eventSeq)).toBe(stored);
    });

    it('101 characters that NFKC makes 202 (㍻ → 平成) → refused naming lecturer', async () => {
      const over = await officer.refused(launched, 'recordPartyLecture', () => lecture('㍻'.repeat(101)));
      expect(over).toMatchObject({ __typename: 'InvalidInput', field: 'lecturer' });
      expect((await lecture('㍻'.repeat(100))).__typename).toBe('EvidenceRecorded');
    });
  });

  it('sendEventToSubtree.reason: 2,001 → InvalidInput naming reason before any unit is touched; 2,000 accepted', async () => {
    const county = await admin.createUnit('平山县委', 'GRASSROOTS');
    const village = await admin.createUnit('平山村党支部', 'GRASSROOTS', county);
    for (const unit of [county, village])
      await officer.ok('fileStudyPlan', { unitId: unit, topics: ['党章'], plannedDays: 1 });
    const before = await Promise.all([county, village].map((u) => admin.footprint(u)));
    // one bad input, one answer: not a refusal logged in the attempts of every unit of the subtree
    expect(await sendToSubtree(admin, { rootId: county, event: 'LAUNCH', reason: '因'.repeat(2_001) })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'reason',
    });
    expect(await Promise.all([county, village].map((u) => admin.footprint(u)))).toEqual(before);
    expect(await sendToSubtree(admin, { rootId: county, event: 'LAUNCH', reason: '因'.repeat(2_000) })).toMatchObject({
      __typename: 'BulkEventSummary',
      accepted: 2,
    });
  });

  it('createUnit.name: 200 accepted, 201 refused naming name, no unit created', async () => {
    const count = async () =>
      Number((await sut.db.query<{ n: number | string }>('SELECT count(*) AS n FROM units'))[0].n);
    const before = await count();
    expect(await admin.mutate('createUnit', { name: '村'.repeat(201), kind: 'GRASSROOTS' })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'name',
    });
    expect(await count()).toBe(before);
    expect((await admin.mutate('createUnit', { name: '村'.repeat(200), kind: 'GRASSROOTS' })).__typename).toBe(
      'UnitCreated',
    );
    expect(await count()).toBe(before + 1);
  });
});
