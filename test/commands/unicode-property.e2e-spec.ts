import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient } from '../support/campaign-client.js';
import { Prng } from '../support/security-fuzz.js';
import { verifyHistory } from './command-support.js';
import { expectedOf, oddString, type Expected, type Rule } from './unicode-oddities.js';

const SEED = 0x5eed_2014;
const CASES = 320;
const OFFICER = { sub: 'officer-yan', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-kong', role: 'SUPERVISOR', scopeUnitId: null } as const;

/** One text field of a command that is accepted whenever the field is: how to send it, and where it is stored. */
interface Target {
  name: string;
  rule: Rule;
  /** the unit whose history the command appends to */
  unit: () => string;
  /** what must exist before the command can be accepted (an open problem to rectify…), made before the version is read */
  prepare?: () => Promise<unknown>;
  /** sends the command with `values` in the field (one value; several for a list of labels) */
  send: (values: string[]) => Promise<any>;
  /** how many values the field takes */
  arity?: () => number;
  /** the field an InvalidInput names when value `i` is at fault */
  field: (i: number) => string;
  /** where the value is stored in the event's payload (none: not stored in the history) */
  payloadKey?: string;
}

describe(`property: ${CASES} strings of Unicode oddities over the text fields of accepted commands (seed ${SEED})`, () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let launched: string;
  let registered: string;
  let openProblem: string | null = null;
  let openFinding: string | null = null;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    launched = await admin.createUnit('桃源村党支部', 'GRASSROOTS');
    registered = await admin.createUnit('杏花村党支部', 'GRASSROOTS');
    await launch(officer, launched);
  });
  afterAll(async () => {
    await sut.close();
  });

  const now = () => officer.now();
  const one =
    (name: string): ((i: number) => string) =>
    () =>
      name;
  const problem = async () => (openProblem ??= await officer.problem(launched, false));
  const finding = async () => {
    if (openFinding) return openFinding;
    const r = await supervisor.ok(
      'issueFinding',
      { unitId: launched, kind: 'LAZY_THINKING', note: '学习不深' },
      '... on FindingIssued { findingId }',
    );
    return (openFinding = r.findingId as string);
  };
  /** the success's seq and version, for the success type of each mutation */
  const on = (type: string) => `... on ${type} { eventSeq status { version } }`;

  const TARGETS: Target[] = [
    {
      name: 'recordStudySession.topic',
      rule: { kind: 'label', max: 200 },
      unit: () => launched,
      field: one('topic'),
      payloadKey: 'topic',
      send: ([topic]) =>
        officer.mutate(
          'recordStudySession',
          { unitId: launched, format: 'SELF_STUDY', occurredAt: now(), hours: 1, attendees: 3, topic },
          on('EvidenceRecorded'),
        ),
    },
    {
      name: 'recordFilmScreening.title',
      rule: { kind: 'label', max: 200 },
      unit: () => launched,
      field: one('title'),
      payloadKey: 'title',
      send: ([title]) =>
        officer.mutate('recordFilmScreening', { unitId: launched, title, occurredAt: now() }, on('EvidenceRecorded')),
    },
    {
      name: 'recordOpinion.text',
      rule: { kind: 'text', max: 10_000 },
      unit: () => launched,
      field: one('text'),
      payloadKey: 'text',
      send: ([text]) =>
        officer.mutate(
          'recordOpinion',
          {
            targetUnitId: launched,
            collectedByUnitId: launched,
            channel: 'FORUM',
            category: 'WORK',
            text,
            occurredAt: now(),
          },
          on('OpinionRecorded'),
        ),
    },
    {
      name: 'identifyProblem.category',
      rule: { kind: 'label', max: 100 },
      unit: () => launched,
      field: one('category'),
      payloadKey: 'category',
      send: ([category]) =>
        officer.mutate(
          'identifyProblem',
          { unitId: launched, category, description: '会议过多', fixAtOnce: false },
          on('ProblemIdentified'),
        ),
    },
    {
      name: 'identifyProblem.description',
      rule: { kind: 'text', max: 10_000 },
      unit: () => launched,
      field: one('description'),
      payloadKey: 'description',
      send: ([description]) =>
        officer.mutate(
          'identifyProblem',
          { unitId: launched, category: '形式主义', description, fixAtOnce: false },
          on('ProblemIdentified'),
        ),
    },
    {
      name: 'rectifyProblem.action',
      rule: { kind: 'text', max: 10_000 },
      unit: () => launched,
      field: one('action'),
      payloadKey: 'action',
      prepare: problem,
      send: async ([action]) => {
        const answer = await officer.mutate(
          'rectifyProblem',
          { unitId: launched, problemId: openProblem, action, occurredAt: now() },
          on('EvidenceRecorded'),
        );
        if (answer.__typename === 'EvidenceRecorded') openProblem = null;
        return answer;
      },
    },
    {
      name: 'issueFinding.note',
      rule: { kind: 'text', max: 10_000 },
      unit: () => launched,
      field: one('note'),
      payloadKey: 'note',
      send: ([note]) =>
        supervisor.mutate('issueFinding', { unitId: launched, kind: 'SHALLOW_STUDY', note }, on('FindingIssued')),
    },
    {
      name: 'resolveFinding.response',
      rule: { kind: 'text', max: 10_000 },
      unit: () => launched,
      field: one('response'),
      payloadKey: 'response',
      prepare: finding,
      send: async ([response]) => {
        const answer = await supervisor.mutate(
          'resolveFinding',
          { unitId: launched, findingId: openFinding, response },
          on('FindingResolved'),
        );
        if (answer.__typename === 'FindingResolved') openFinding = null;
        return answer;
      },
    },
    {
      name: 'recordPartyLecture.lecturer',
      rule: { kind: 'name', max: 200 },
      unit: () => launched,
      field: one('lecturer'),
      payloadKey: 'lecturer',
      send: ([lecturer]) =>
        officer.mutate('recordPartyLecture', { unitId: launched, lecturer, occurredAt: now() }, on('EvidenceRecorded')),
    },
    {
      name: 'fileStudyPlan.topics',
      rule: { kind: 'label', max: 200 },
      unit: () => registered,
      field: (i) => `topics[${i}]`,
      payloadKey: 'topics',
      arity: () => 3,
      send: (topics) =>
        officer.mutate('fileStudyPlan', { unitId: registered, topics, plannedDays: 1 }, on('EvidenceRecorded')),
    },
    {
      name: 'recordFilmScreening.idempotencyKey',
      rule: { kind: 'key' },
      unit: () => launched,
      field: one('idempotencyKey'),
      send: ([idempotencyKey]) =>
        officer.mutate(
          'recordFilmScreening',
          { unitId: launched, title: '焦裕禄', occurredAt: now(), idempotencyKey },
          on('EvidenceRecorded'),
        ),
    },
  ];

  const version = async (unitId: string) => (await admin.status(unitId)).version;
  const storedPayload = async (unitId: string, seq: number) =>
    JSON.parse(
      (
        await sut.db.query<{ payload: string }>('SELECT payload FROM unit_events WHERE unit_id = ? AND seq = ?', [
          unitId,
          seq,
        ])
      )[0].payload,
    );

  it('every accepted command leaves verifyHistory ok and its text stored normalised (NFC); every refused one is InvalidInput naming the field, version unchanged', async () => {
    const r = new Prng(SEED);
    const wrong: string[] = [];
    const tally = { accepted: 0, refused: 0 };
    for (let i = 0; i < CASES && wrong.length < 20; i++) {
      const target = TARGETS[i % TARGETS.length];
      const count = target.arity ? r.int(1, target.arity()) : 1;
      // keys are unique per case (a key reused with another input is refused for that reason, not its text)
      const values = Array.from({ length: count }, () =>
        target.rule.kind === 'key' ? `${oddString(r)}#${i}` : oddString(r),
      );
      const expected: Expected[] = values.map((v) => expectedOf(v, target.rule));
      const refusedAt = expected.findIndex((e) => !e.accepted);
      const unitId = target.unit();
      await target.prepare?.();
      const before = await version(unitId);
      const answer = await target.send(values);
      const where = `#${i} ${target.name} ${JSON.stringify(values)}`;

      if (refusedAt >= 0) {
        tally.refused++;
        if (answer.__typename !== 'InvalidInput' || answer.field !== target.field(refusedAt))
          wrong.push(`${where}: expected InvalidInput on ${target.field(refusedAt)}, got ${JSON.stringify(answer)}`);
        if ((await version(unitId)) !== before) wrong.push(`${where}: refused, yet the version moved from ${before}`);
        continue;
      }
      tally.accepted++;
      if (answer.eventSeq !== before + 1 || answer.status?.version !== before + 1) {
        wrong.push(`${where}: expected accepted as event ${before + 1}, got ${JSON.stringify(answer)}`);
        continue;
      }
      const stored = expected.map((e) => (e as { stored: string }).stored);
      if (target.payloadKey) {
        const kept = (await storedPayload(unitId, answer.eventSeq))[target.payloadKey];
        const want = target.arity ? stored : stored[0];
        if (JSON.stringify(kept) !== JSON.stringify(want))
          wrong.push(`${where}: stored ${JSON.stringify(kept)}, expected ${JSON.stringify(want)}`);
        for (const s of [kept].flat())
          if (typeof s !== 'string' || s !== s.normalize('NFC'))
            wrong.push(`${where}: stored ${JSON.stringify(s)} is not NFC`);
      } else {
        // a key is kept as sent: the same key and input replays the first answer and appends nothing
        const again = await target.send(values);
        if (JSON.stringify(again) !== JSON.stringify(answer) || (await version(unitId)) !== before + 1)
          wrong.push(`${where}: the retry answered ${JSON.stringify(again)}`);
      }
      const verification = await verifyHistory(sut, unitId);
      if (!verification.ok) wrong.push(`${where}: verifyHistory ${JSON.stringify(verification)}`);
    }
    expect(wrong).toEqual([]);
    // the generator exercised both outcomes in earnest
    expect(tally.accepted).toBeGreaterThan(CASES / 3);
    expect(tally.refused).toBeGreaterThan(CASES / 10);
  });

  it('createUnit names: the same rules, the unit row keeps the normalised name', async () => {
    const r = new Prng(SEED + 1);
    const wrong: string[] = [];
    for (let i = 0; i < 60; i++) {
      const raw = oddString(r);
      const expected = expectedOf(raw, { kind: 'label', max: 200 });
      const answer = await admin.mutate(
        'createUnit',
        { name: raw, kind: 'GRASSROOTS', parentId: registered },
        '... on UnitCreated { unit { id name } }',
      );
      const where = `#${i} ${JSON.stringify(raw)}`;
      if (!expected.accepted) {
        if (answer.__typename !== 'InvalidInput' || answer.field !== 'name')
          wrong.push(`${where}: expected InvalidInput on name, got ${JSON.stringify(answer)}`);
        continue;
      }
      const [row] = await sut.db.query<{ name: string }>('SELECT name FROM units WHERE id = ?', [
        answer.unit?.id ?? '',
      ]);
      if (
        answer.__typename !== 'UnitCreated' ||
        answer.unit.name !== expected.stored ||
        row?.name !== expected.stored
      ) {
        wrong.push(
          `${where}: expected ${JSON.stringify(expected.stored)}, got ${JSON.stringify(answer)} / row ${JSON.stringify(row)}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });
});
