import type { TestApp } from '../support/test-app.js';
import { launch, StoryClient, toLookBack, startStory } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-feng', role: 'OFFICER', scopeUnitId: null } as const;
const OTHER_OFFICER = { sub: 'officer-chen', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-chu', role: 'SUPERVISOR', scopeUnitId: null } as const;

describe('commands: idempotent retries, version conflicts and bad input, each answered with a typed result', () => {
  let sut: TestApp;
  let admin: StoryClient;
  let officer: StoryClient;
  let supervisor: StoryClient;
  let unit: string;
  let other: string;

  beforeAll(async () => {
    ({ sut, admin, officer, supervisor } = await startStory(OFFICER, SUPERVISOR));
    unit = await admin.createUnit('县水利局', 'DIRECT_UNIT');
    other = await admin.createUnit('县林业局', 'DIRECT_UNIT');
    await launch(officer, unit);
    await launch(officer, other);
    sut.clock.advanceDays(1);
  });
  afterAll(async () => {
    await sut.close();
  });

  const session = (extra: Record<string, unknown> = {}) => ({
    unitId: unit,
    format: 'CONCENTRATED',
    occurredAt: officer.now(),
    hours: 3,
    attendees: 40,
    ...extra,
  });
  const SEL = '... on EvidenceRecorded { eventSeq status { phase activeStates version } }';

  describe('idempotent retry', () => {
    it('the same key and input returns the same result and appends nothing', async () => {
      const input = session({ idempotencyKey: 'study-2014-03-02' });
      const first = await officer.mutate('recordStudySession', input, SEL);
      expect(first).toEqual({
        __typename: 'EvidenceRecorded',
        eventSeq: 3,
        status: {
          phase: 'stage1',
          activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.active'],
          version: 3,
        },
      });
      const before = await officer.footprint(unit);
      sut.clock.advanceMs(60_000);
      expect(await officer.mutate('recordStudySession', input, SEL)).toEqual(first);
      expect(await officer.mutate('recordStudySession', input, SEL)).toEqual(first);
      expect(await officer.footprint(unit)).toEqual(before);
    });

    it('the same key with another input → IdempotencyKeyReused, nothing appended, logged', async () => {
      const reused = await officer.refused(unit, 'recordStudySession', () =>
        officer.mutate('recordStudySession', session({ idempotencyKey: 'study-2014-03-02', hours: 4 }), SEL),
      );
      expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
      const onEvent = await officer.refused(unit, 'COMPLETE_STUDY', () =>
        officer.send(unit, 'COMPLETE_STUDY', { idempotencyKey: 'study-2014-03-02' }),
      );
      expect(onEvent.__typename).toBe('IdempotencyKeyReused');
    });

    it('keys belong to the principal: another officer uses the same key independently', async () => {
      const mine = await officer.mutate(
        'recordFilmScreening',
        { unitId: unit, title: '焦裕禄', occurredAt: officer.now(), idempotencyKey: 'film-1' },
        SEL,
      );
      const theirs = await officer
        .withPrincipal(OTHER_OFFICER)
        .mutate(
          'recordFilmScreening',
          { unitId: unit, title: '焦裕禄', occurredAt: officer.now(), idempotencyKey: 'film-1' },
          SEL,
        );
      expect(mine.__typename).toBe('EvidenceRecorded');
      expect(theirs).toMatchObject({ __typename: 'EvidenceRecorded', eventSeq: mine.eventSeq + 1 });
      const history = await officer.historyNodes(unit);
      expect(history.slice(-2).map((e) => `${e.type}:${e.actor}`)).toEqual([
        'FILM_SCREENING:officer-feng',
        'FILM_SCREENING:officer-chen',
      ]);
    });

    it('a refused command does not burn its key: the retry after the cause is fixed is accepted', async () => {
      const bad = await officer.refused(unit, 'recordStudySession', () =>
        officer.mutate('recordStudySession', session({ idempotencyKey: 'retry-me', expectedVersion: 0 }), SEL),
      );
      expect(bad).toMatchObject({ __typename: 'VersionConflict', currentVersion: 5 });
      const ok = await officer.mutate(
        'recordStudySession',
        session({ idempotencyKey: 'retry-me', expectedVersion: 5 }),
        SEL,
      );
      expect(ok).toMatchObject({ __typename: 'EvidenceRecorded', eventSeq: 6 });
    });
  });

  describe('version conflict', () => {
    it('a stale expectedVersion → VersionConflict { currentVersion }, nothing appended; the current one is accepted', async () => {
      const { version } = await officer.status(unit);
      const stale = await officer.refused(unit, 'COMPLETE_STUDY', () =>
        officer.send(unit, 'COMPLETE_STUDY', { expectedVersion: version - 1 }),
      );
      expect(stale).toMatchObject({
        __typename: 'VersionConflict',
        errorCode: 'VERSION_CONFLICT',
        currentVersion: version,
      });
      const ahead = await officer.refused(unit, 'recordStudySession', () =>
        officer.mutate('recordStudySession', session({ expectedVersion: version + 1 })),
      );
      expect(ahead).toMatchObject({ __typename: 'VersionConflict', currentVersion: version });
      expect(await officer.mutate('recordStudySession', session({ expectedVersion: version }), SEL)).toMatchObject({
        __typename: 'EvidenceRecorded',
        eventSeq: version + 1,
      });
    });
  });

  describe('bad input of every kind: a typed failure, nothing written', () => {
    const bad = (command: string, run: () => Promise<any>, u = () => unit) => officer.refused(u(), command, run);

    it('unknown ids → NotFound', async () => {
      expect(await officer.mutate('recordStudySession', session({ unitId: 'no-such-unit' }))).toMatchObject({
        __typename: 'NotFound',
        errorCode: 'NOT_FOUND',
      });
      expect(await officer.send('no-such-unit', 'LAUNCH')).toMatchObject({ __typename: 'NotFound' });
      expect(
        await bad('claimOpinion', () => officer.mutate('claimOpinion', { unitId: unit, opinionId: 'no-such-opinion' })),
      ).toMatchObject({ __typename: 'NotFound' });
      expect(
        await bad('rectifyProblem', () =>
          officer.mutate('rectifyProblem', {
            unitId: unit,
            problemId: 'no-such-problem',
            action: '整改',
            occurredAt: officer.now(),
          }),
        ),
      ).toMatchObject({ __typename: 'NotFound' });
      expect(
        await bad('identifyProblem', () =>
          officer.mutate('identifyProblem', {
            unitId: unit,
            category: '庸懒散拖',
            description: '办事拖拉',
            fixAtOnce: true,
            sourceOpinionId: 'no-such-opinion',
          }),
        ),
      ).toMatchObject({ __typename: 'NotFound' });
      expect(
        await officer.refused(unit, 'resolveFinding', () =>
          supervisor.mutate('resolveFinding', { unitId: unit, findingId: 'no-such-finding', response: '已整改' }),
        ),
      ).toMatchObject({ __typename: 'NotFound' });
      expect(
        await bad('recordOpinion', () =>
          officer.mutate('recordOpinion', {
            targetUnitId: unit,
            collectedByUnitId: 'no-such-unit',
            channel: 'FORUM',
            category: 'WORK',
            text: '意见',
            occurredAt: officer.now(),
          }),
        ),
      ).toMatchObject({ __typename: 'NotFound' });
    });

    it("another unit's problem → InvalidInput problemId", async () => {
      const theirs = await officer.problem(other, true);
      expect(
        await bad('rectifyProblem', () =>
          officer.mutate('rectifyProblem', {
            unitId: unit,
            problemId: theirs,
            action: '整改',
            occurredAt: officer.now(),
          }),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'problemId' });
    });

    it('empty text fields → InvalidInput naming the field', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        [
          'recordOpinion',
          {
            targetUnitId: unit,
            collectedByUnitId: unit,
            channel: 'FORUM',
            category: 'WORK',
            text: '   ',
            occurredAt: officer.now(),
          },
          'text',
        ],
        ['identifyProblem', { unitId: unit, category: '庸懒散拖', description: '', fixAtOnce: true }, 'description'],
        ['identifyProblem', { unitId: unit, category: ' ', description: '拖拉', fixAtOnce: true }, 'category'],
        ['recordFilmScreening', { unitId: unit, title: '', occurredAt: officer.now() }, 'title'],
        ['recordPartyLecture', { unitId: unit, lecturer: ' ', occurredAt: officer.now() }, 'lecturer'],
        ['rectifyProblem', { unitId: unit, problemId: 'x', action: '', occurredAt: officer.now() }, 'action'],
      ];
      for (const [command, input, field] of cases) {
        expect(await bad(command, () => officer.mutate(command, input))).toMatchObject({
          __typename: 'InvalidInput',
          field,
        });
      }
      expect(
        await officer.refused(unit, 'issueFinding', () =>
          supervisor.mutate('issueFinding', { unitId: unit, kind: 'SHALLOW_STUDY', note: '' }),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'note' });
    });

    it('hours ≤ 0, attendees < 1, occurredAt in the future or before launch → InvalidInput on that field', async () => {
      expect(
        await bad('recordStudySession', () => officer.mutate('recordStudySession', session({ hours: 0 }))),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'hours' });
      expect(
        await bad('recordStudySession', () => officer.mutate('recordStudySession', session({ hours: -2 }))),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'hours' });
      expect(
        await bad('recordStudySession', () => officer.mutate('recordStudySession', session({ attendees: 0 }))),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'attendees' });
      const future = new Date(sut.clock.now().getTime() + 1).toISOString();
      expect(
        await bad('recordStudySession', () => officer.mutate('recordStudySession', session({ occurredAt: future }))),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'occurredAt' });
      expect(
        await bad('recordOpinion', () =>
          officer.mutate('recordOpinion', {
            targetUnitId: unit,
            collectedByUnitId: unit,
            channel: 'FORUM',
            category: 'WORK',
            text: '意见',
            occurredAt: future,
          }),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'occurredAt' });
      expect(
        await bad('recordFilmScreening', () =>
          officer.mutate('recordFilmScreening', { unitId: unit, title: '焦裕禄', occurredAt: '2014-01-01T00:00:00Z' }),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'occurredAt' });
    });

    it('an unknown stage event → InvalidInput event; an override without reason → InvalidInput reason', async () => {
      expect(await bad('SKIP_TO_THE_END', () => officer.send(unit, 'SKIP_TO_THE_END'))).toMatchObject({
        __typename: 'InvalidInput',
        field: 'event',
      });
      expect(
        await bad('COMPLETE_STUDY', () =>
          admin.mutate('overrideTransition', { unitId: unit, event: 'COMPLETE_STUDY', reason: '  ' }),
        ),
      ).toMatchObject({ __typename: 'InvalidInput', field: 'reason' });
    });

    it('evidence before LAUNCH and a verdict outside lookBack → NotAllowedInState', async () => {
      const fresh = await admin.createUnit('县审计局', 'DIRECT_UNIT');
      expect(
        await bad(
          'recordStudySession',
          () => officer.mutate('recordStudySession', session({ unitId: fresh })),
          () => fresh,
        ),
      ).toMatchObject({ __typename: 'NotAllowedInState', activeStates: ['registered'] });
      expect(
        await officer.refused(unit, 'recordLookBackVerdict', () =>
          supervisor.mutate('recordLookBackVerdict', { unitId: unit, item: 'STUDY', verdict: 'PASS', note: '好' }),
        ),
      ).toMatchObject({
        __typename: 'NotAllowedInState',
        activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.active'],
      });
    });

    it('nothing written by any of them: the history has only the accepted commands', async () => {
      const history = await officer.historyNodes(unit);
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      expect(history.map((e) => e.type)).toEqual([
        'FILE_STUDY_PLAN',
        'LAUNCH',
        'STUDY_SESSION',
        'FILM_SCREENING',
        'FILM_SCREENING',
        'STUDY_SESSION',
        'STUDY_SESSION',
      ]);
    });
  });

  it('the look-back requester may not judge it, even as an admin', async () => {
    const unit2 = await admin.createUnit('高庄村', 'GRASSROOTS');
    await toLookBack(admin, unit2, 'GRASSROOTS');
    const verdict = await admin.mutate('recordLookBackVerdict', {
      unitId: unit2,
      item: 'STUDY',
      verdict: 'PASS',
      note: '好',
    });
    expect(verdict.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await admin.send(unit2, 'CONCLUDE_LOOKBACK')).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(
      (await supervisor.mutate('recordLookBackVerdict', { unitId: unit2, item: 'STUDY', verdict: 'PASS', note: '好' }))
        .__typename,
    ).toBe('VerdictRecorded');
  });
});
