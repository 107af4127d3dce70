import type { TestApp } from '../support/test-app.js';
import { launch, startStory, StoryClient } from '../support/campaign-client.js';
import { sendToSubtree, verifyHistory } from './command-support.js';

const OFFICER = { sub: 'officer-he', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-tan', role: 'SUPERVISOR', scopeUnitId: null } as const;

/** A high half without its low half, and a low half without its high half. */
const LONE = ['k\ud800', '\udc00x'] as const;

const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value !== null && typeof value === 'object'
      ? Object.values(value).flatMap(strings)
      : [];

/**
 * A lone UTF-16 surrogate cannot be stored as UTF-8 and read back the same, so a history hashed over it would not
 * verify (found on the old main: such a text was accepted and broke verifyHistory on PostgreSQL). Every text field of
 * every command refuses it as InvalidInput naming the field, appends nothing and leaves the history verifiable.
 */
describe('lone surrogates are refused in every text field, naming it', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let unit: string;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    unit = await admin.createUnit('青石村党支部', 'GRASSROOTS');
    await launch(officer, unit);
  });
  afterAll(async () => {
    await sut.close();
  });

  /** the field, the mutation, the attempts log's name of the command, how to send it, its answer when the text is whole */
  type Case = [field: string, via: string, loggedAs: string, send: (text: string) => Promise<any>, whole: string];
  const now = () => officer.now();
  const CASES: Case[] = [
    [
      'idempotencyKey',
      'recordFilmScreening',
      'recordFilmScreening',
      (bad) =>
        officer.mutate('recordFilmScreening', {
          unitId: unit,
          title: '焦裕禄',
          occurredAt: now(),
          idempotencyKey: bad,
        }),
      'EvidenceRecorded',
    ],
    [
      'reason',
      'sendEvent',
      'COMPLETE_STUDY',
      (bad) => officer.send(unit, 'COMPLETE_STUDY', { reason: bad }),
      'TransitionBlocked',
    ],
    [
      'reason',
      'overrideTransition',
      'COMPLETE_STUDY',
      (bad) => admin.mutate('overrideTransition', { unitId: unit, event: 'COMPLETE_STUDY', reason: bad }),
      'TransitionAccepted',
    ],
    [
      'topic',
      'recordStudySession',
      'recordStudySession',
      (bad) =>
        officer.mutate('recordStudySession', {
          unitId: unit,
          format: 'SELF_STUDY',
          occurredAt: now(),
          hours: 1,
          attendees: 3,
          topic: bad,
        }),
      'EvidenceRecorded',
    ],
    [
      'text',
      'recordOpinion',
      'recordOpinion',
      (bad) =>
        officer.mutate('recordOpinion', {
          targetUnitId: unit,
          collectedByUnitId: unit,
          channel: 'FORUM',
          category: 'WORK',
          text: bad,
          occurredAt: now(),
        }),
      'OpinionRecorded',
    ],
    [
      'lecturer',
      'recordPartyLecture',
      'recordPartyLecture',
      (bad) => officer.mutate('recordPartyLecture', { unitId: unit, lecturer: bad, occurredAt: now() }),
      'EvidenceRecorded',
    ],
    [
      'note',
      'issueFinding',
      'issueFinding',
      (bad) => supervisor.mutate('issueFinding', { unitId: unit, kind: 'LAZY_THINKING', note: bad }),
      'FindingIssued',
    ],
  ];

  it.each(
    LONE.flatMap((bad) =>
      CASES.map(([field, via, loggedAs, send]) => [field, via, JSON.stringify(bad), loggedAs, bad, send] as const),
    ),
  )(
    '%s of %s with %s → InvalidInput naming it, nothing appended, history verifiable',
    async (field, _via, _shown, loggedAs, bad, send) => {
      const answer = await officer.refused(unit, loggedAs, () => send(bad));
      expect(answer).toMatchObject({ __typename: 'InvalidInput', errorCode: 'INVALID_INPUT', field });
      expect(await verifyHistory(sut, unit)).toMatchObject({ ok: true, problem: null });
      // the attempts log keeps no lone surrogate either (it is stored as text and read back as JSON)
      const res = await sut.gql(
        'query($id: ID!) { unit(id: $id) { attempts(first: 100) { edges { node { payload message } } } } }',
        { id: unit },
      );
      const last = res.data!.unit.attempts.edges.at(-1).node;
      expect(strings({ ...JSON.parse(last.payload), message: last.message }).filter((s) => !isWellFormed(s))).toEqual(
        [],
      );
    },
  );

  it('the same commands with the surrogate made whole pass the input checks (the refusals were the surrogate)', async () => {
    const whole = 'k\ud800\udc00';
    const answers = [];
    for (const [field, , , send, expected] of CASES)
      answers.push({ field, answer: (await send(whole)).__typename, expected });
    // COMPLETE_STUDY sent plainly reaches the gates (blocked: no evidence); overridden, it is accepted
    expect(answers.map(({ field, answer }) => ({ field, answer }))).toEqual(
      answers.map(({ field, expected }) => ({ field, answer: expected })),
    );
    expect((await admin.mutate('createUnit', { name: whole, kind: 'GRASSROOTS', parentId: unit })).__typename).toBe(
      'UnitCreated',
    );
    expect(await verifyHistory(sut, unit)).toMatchObject({ ok: true, problem: null });
  });

  it.each(LONE.map((bad) => [JSON.stringify(bad), bad] as const))(
    'sendEventToSubtree reason %s → InvalidInput on reason, no unit touched',
    async (_shown, bad) => {
      const before = await admin.footprint(unit);
      expect(await sendToSubtree(admin, { rootId: unit, event: 'COMPLETE_STUDY', reason: bad })).toMatchObject({
        __typename: 'InvalidInput',
        field: 'reason',
      });
      expect(await admin.footprint(unit)).toEqual(before);
    },
  );

  it.each(LONE.map((bad) => [JSON.stringify(bad), bad] as const))(
    'createUnit name %s → InvalidInput on name, no unit created',
    async (_shown, bad) => {
      const count = async () => (await sut.db.query<{ n: number | string }>('SELECT count(*) AS n FROM units'))[0].n;
      const before = Number(await count());
      const answer = await admin.mutate('createUnit', { name: bad, kind: 'GRASSROOTS', parentId: unit });
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'name' });
      expect(Number(await count())).toBe(before);
    },
  );
});
