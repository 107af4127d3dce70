import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';
import {
  codes,
  DAY,
  Kind,
  launch,
  listeningEvidence,
  RULES,
  StoryClient,
  studyEvidence,
} from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-zhao', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-qian', role: 'SUPERVISOR', scopeUnitId: null } as const;

/** What each kind's gates answer right after LAUNCH, before any evidence (rulebook v1). */
const AT_LAUNCH: Record<Kind, { study: string[]; listening: string[] }> = {
  LEADERSHIP_BODY: {
    study: ['CONCENTRATED_DAYS_SHORT', 'LECTURERS_SHORT', 'STUDY_DWELL', 'THEMATIC_SEMINARS_SHORT'],
    listening: ['DELIBERATION_MISSING', 'FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
  DIRECT_UNIT: {
    study: ['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING', 'STUDY_DWELL'],
    listening: ['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
  TOWNSHIP_STREET: {
    study: ['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING', 'STUDY_DWELL'],
    listening: ['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
  WINDOW_SERVICE: {
    study: ['CONCENTRATED_DAYS_SHORT', 'ETHICS_TRAINING_MISSING', 'GROUP_DISCUSSION_MISSING', 'STUDY_DWELL'],
    listening: ['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
  GRASSROOTS: {
    study: ['FILM_MISSING', 'GROUP_DISCUSSION_MISSING', 'PARTY_LECTURE_MISSING', 'STUDY_DWELL'],
    listening: ['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
  NON_PUBLIC_SOCIAL: {
    study: ['STUDY_DWELL', 'STUDY_SESSION_MISSING'],
    listening: ['FACE_TO_FACE_SHARE_LOW', 'FOUR_STYLES_SHARE_LOW', 'OPINIONS_SHORT'],
  },
};

const KINDS = Object.keys(AT_LAUNCH) as Kind[];

describe('stage 1, start to finish, for every unit kind', () => {
  let sut: TestApp;
  let officer: StoryClient;
  let supervisor: StoryClient;

  beforeAll(async () => {
    sut = await startTestApp();
    officer = new StoryClient(sut, OFFICER);
    supervisor = officer.withPrincipal(SUPERVISOR);
  });
  afterAll(async () => {
    await sut.close();
  });

  const iso = (ms: number) => new Date(ms).toISOString();

  it.each(KINDS)(
    '%s: launch → three regions met by their gates → look-back after the stage dwell → four PASS → stage1Complete',
    async (kind) => {
      const leaderCount = kind === 'LEADERSHIP_BODY' ? 3 : 0;
      const admin = officer.withPrincipal(ADMIN);
      const unit = await admin.createUnit(`${kind} 单位`, kind, null, leaderCount);
      const launchedAt = await launch(officer, unit);
      expect(await officer.status(unit)).toEqual({
        phase: 'stage1',
        activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.active'],
        version: 2,
        rulebookVersion: 1,
      });

      // Nothing can complete on launch day: each gate names every unmet condition of this kind.
      const study0 = await officer.refused(unit, 'COMPLETE_STUDY', () => officer.send(unit, 'COMPLETE_STUDY'));
      expect(codes(study0)).toEqual(AT_LAUNCH[kind].study);
      expect(study0.earliestAt).toBeNull();
      const listening0 = await officer.refused(unit, 'COMPLETE_LISTENING', () =>
        officer.send(unit, 'COMPLETE_LISTENING'),
      );
      expect(codes(listening0)).toEqual(AT_LAUNCH[kind].listening);
      const correcting0 = await officer.refused(unit, 'COMPLETE_CORRECTING', () =>
        officer.send(unit, 'COMPLETE_CORRECTING'),
      );
      expect(codes(correcting0)).toEqual(['NO_PROBLEM_IDENTIFIED']);
      const request0 = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
      expect(codes(request0)).toEqual(['REGIONS_NOT_MET', 'STAGE_DWELL']);
      expect(request0.earliestAt).toBeNull();

      // Study: the evidence meets the gate before the dwell; only time stands in the way, and it says until when.
      await studyEvidence(officer, unit, kind, leaderCount);
      const studyEarly = await officer.refused(unit, 'COMPLETE_STUDY', () => officer.send(unit, 'COMPLETE_STUDY'));
      expect(codes(studyEarly)).toEqual(['STUDY_DWELL']);
      expect(studyEarly.earliestAt).toBe(iso(launchedAt + RULES[kind].studyDwell * DAY));
      sut.clock.set(studyEarly.earliestAt);
      expect((await officer.sendOk(unit, 'COMPLETE_STUDY')).activeStates).toEqual([
        'stage1.correcting.active',
        'stage1.listening.active',
        'stage1.study.met',
      ]);

      // Listening: one opinion short, then the minimum at exactly 60 % face-to-face and ≥ 50 % four styles.
      const n = RULES[kind].opinions;
      await officer.opinions(unit, n - 1, Math.ceil(n * 0.6), Math.ceil(n / 2));
      const short = await officer.refused(unit, 'COMPLETE_LISTENING', () => officer.send(unit, 'COMPLETE_LISTENING'));
      expect(codes(short)).toEqual(
        kind === 'LEADERSHIP_BODY' ? ['DELIBERATION_MISSING', 'OPINIONS_SHORT'] : ['OPINIONS_SHORT'],
      );
      await officer.opinions(unit, 1, 0, 0);
      if (kind === 'LEADERSHIP_BODY') {
        expect(codes(await officer.send(unit, 'COMPLETE_LISTENING'))).toEqual(['DELIBERATION_MISSING']);
        await officer.ok('recordCollectiveDeliberation', {
          unitId: unit,
          occurredAt: officer.now(),
          opinionsDiscussed: n,
        });
      }
      expect((await officer.sendOk(unit, 'COMPLETE_LISTENING')).activeStates).toEqual([
        'stage1.correcting.active',
        'stage1.listening.met',
        'stage1.study.met',
      ]);

      // Correcting: a fix-at-once problem holds the region until it is rectified.
      const problemId = await officer.problem(unit, true);
      expect(codes(await officer.send(unit, 'COMPLETE_CORRECTING'))).toEqual(['FIX_AT_ONCE_OPEN']);
      await officer.ok('rectifyProblem', {
        unitId: unit,
        problemId,
        action: '立行立改：精简会议',
        occurredAt: officer.now(),
      });
      expect((await officer.sendOk(unit, 'COMPLETE_CORRECTING')).activeStates).toEqual([
        'stage1.correcting.met',
        'stage1.listening.met',
        'stage1.study.met',
      ]);

      // The look-back waits for the stage dwell, to the millisecond.
      const early = await officer.refused(unit, 'REQUEST_LOOKBACK', () => officer.send(unit, 'REQUEST_LOOKBACK'));
      expect(codes(early)).toEqual(['STAGE_DWELL']);
      expect(early.earliestAt).toBe(iso(launchedAt + RULES[kind].stageDwell * DAY));
      sut.clock.set(early.earliestAt);
      expect(await officer.sendOk(unit, 'REQUEST_LOOKBACK')).toMatchObject({
        phase: 'lookBack',
        activeStates: ['lookBack'],
      });

      expect(codes(await supervisor.send(unit, 'CONCLUDE_LOOKBACK'))).toEqual(['VERDICTS_MISSING']);
      for (const item of ['STUDY', 'LISTENING', 'COMBINED', 'STYLE']) {
        expect(
          (
            await supervisor.mutate('recordLookBackVerdict', {
              unitId: unit,
              item,
              verdict: 'PASS',
              note: '逐项评估：合格',
            })
          ).__typename,
        ).toBe('VerdictRecorded');
      }
      const done = await supervisor.sendOk(unit, 'CONCLUDE_LOOKBACK');
      expect(done).toEqual({ phase: 'stage1Complete', activeStates: ['stage1Complete'], version: done.version });

      // The history holds exactly the accepted commands; the refusals are in the attempts log with their blockers.
      const history = await officer.historyNodes(unit);
      expect(history.map((e) => e.seq)).toEqual(Array.from({ length: done.version }, (_, i) => i + 1));
      expect(
        history
          .filter((e) => e.type.startsWith('COMPLETE_') || e.type.endsWith('LOOKBACK') || e.type === 'LAUNCH')
          .map((e) => `${e.type}:${e.role}`),
      ).toEqual([
        'LAUNCH:OFFICER',
        'COMPLETE_STUDY:OFFICER',
        'COMPLETE_LISTENING:OFFICER',
        'COMPLETE_CORRECTING:OFFICER',
        'REQUEST_LOOKBACK:OFFICER',
        'CONCLUDE_LOOKBACK:SUPERVISOR',
      ]);
      expect(history.filter((e) => e.type === 'OPINION_RECORDED')).toHaveLength(n);
      const attempts = (await officer.footprint(unit)).attempts;
      expect(attempts.map((a) => `${a.command}:${a.failure}`)).toEqual([
        'COMPLETE_STUDY:TRANSITION_BLOCKED',
        'COMPLETE_LISTENING:TRANSITION_BLOCKED',
        'COMPLETE_CORRECTING:TRANSITION_BLOCKED',
        'REQUEST_LOOKBACK:TRANSITION_BLOCKED',
        'COMPLETE_STUDY:TRANSITION_BLOCKED',
        'COMPLETE_LISTENING:TRANSITION_BLOCKED',
        ...(kind === 'LEADERSHIP_BODY' ? ['COMPLETE_LISTENING:TRANSITION_BLOCKED'] : []),
        'COMPLETE_CORRECTING:TRANSITION_BLOCKED',
        'REQUEST_LOOKBACK:TRANSITION_BLOCKED',
        'CONCLUDE_LOOKBACK:TRANSITION_BLOCKED',
      ]);
      expect(attempts[0].blockers.map((b) => b.code).sort()).toEqual(AT_LAUNCH[kind].study);
    },
  );

  it('WINDOW_SERVICE: ethics training is required but never counts as the required content', async () => {
    const unit = await officer.withPrincipal(ADMIN).createUnit('政务服务中心', 'WINDOW_SERVICE');
    const launchedAt = await launch(officer, unit);
    for (let d = 0; d < 3; d++) {
      if (d > 0) sut.clock.advanceDays(1);
      await officer.session(unit, 'ETHICS_TRAINING');
    }
    sut.clock.set(new Date(launchedAt + 3 * DAY));
    const r = await officer.refused(unit, 'COMPLETE_STUDY', () => officer.send(unit, 'COMPLETE_STUDY'));
    expect(codes(r)).toEqual(['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING']);
    expect(r.earliestAt).toBeNull();
    expect(r.blockers.find((b: any) => b.code === 'CONCENTRATED_DAYS_SHORT')).toMatchObject({
      required: '2 distinct days',
      actual: '0',
    });
  });

  it('NON_PUBLIC_SOCIAL: an ethics session alone is not a study session', async () => {
    const unit = await officer.withPrincipal(ADMIN).createUnit('某协会党支部', 'NON_PUBLIC_SOCIAL');
    await launch(officer, unit);
    await officer.session(unit, 'ETHICS_TRAINING');
    sut.clock.advanceDays(1);
    expect(codes(await officer.send(unit, 'COMPLETE_STUDY'))).toEqual(['STUDY_SESSION_MISSING']);
    await officer.session(unit, 'SELF_STUDY');
    expect((await officer.sendOk(unit, 'COMPLETE_STUDY')).activeStates).toContain('stage1.study.met');
  });

  it('LEADERSHIP_BODY: a deliberation dated before the latest opinion does not count', async () => {
    const unit = await officer.withPrincipal(ADMIN).createUnit('县委常委会', 'LEADERSHIP_BODY', null, 1);
    await launch(officer, unit);
    await officer.ok('recordCollectiveDeliberation', { unitId: unit, occurredAt: officer.now(), opinionsDiscussed: 0 });
    sut.clock.advanceDays(1);
    await listeningEvidence(officer, unit, 'NON_PUBLIC_SOCIAL'); // 3 opinions, no deliberation
    await officer.opinions(unit, 17, 10, 8);
    expect(codes(await officer.send(unit, 'COMPLETE_LISTENING'))).toEqual(['DELIBERATION_MISSING']);
    await officer.ok('recordCollectiveDeliberation', {
      unitId: unit,
      occurredAt: officer.now(),
      opinionsDiscussed: 20,
    });
    expect((await officer.sendOk(unit, 'COMPLETE_LISTENING')).activeStates).toContain('stage1.listening.met');
  });
});
