import { ADMIN, startTestApp, TestApp } from '../support/test-app.js';
import { CampaignClient } from '../support/campaign-client.js';

const OFFICER = { sub: 'officer-li', role: 'OFFICER', scopeUnitId: null } as const;
const SUPERVISOR = { sub: 'supervisor-wang', role: 'SUPERVISOR', scopeUnitId: null } as const;

describe('a village branch (GRASSROOTS) goes through stage 1', () => {
  let sut: TestApp;
  let admin: CampaignClient;
  let officer: CampaignClient;
  let supervisor: CampaignClient;
  let village: string;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = new CampaignClient(sut, ADMIN);
    officer = admin.withPrincipal(OFFICER);
    supervisor = admin.withPrincipal(SUPERVISOR);
    village = await admin.createUnit('东关村党支部', 'GRASSROOTS');
  });
  afterAll(async () => {
    await sut.close();
  });

  const day = () => sut.clock.now().toISOString();

  it('starts registered at version 0 and cannot launch without a study plan', async () => {
    expect(await officer.status(village)).toEqual({
      phase: 'registered',
      activeStates: ['registered'],
      version: 0,
      rulebookVersion: 1,
    });
    const r = await officer.send(village, 'LAUNCH');
    expect(r.__typename).toBe('TransitionBlocked');
    expect(r.blockers.map((b: any) => b.code)).toEqual(['STUDY_PLAN_MISSING']);
    expect((await officer.status(village)).version).toBe(0);
  });

  it('files a plan, launches, records evidence and completes each region only when its gate passes', async () => {
    expect(
      (await officer.mutate('fileStudyPlan', { unitId: village, topics: ['焦裕禄精神'], plannedDays: 3 })).__typename,
    ).toBe('EvidenceRecorded');
    const launched = await officer.send(village, 'LAUNCH');
    expect(launched).toMatchObject({
      __typename: 'TransitionAccepted',
      eventSeq: 2,
      status: { phase: 'stage1', version: 2 },
    });

    const early = await officer.send(village, 'COMPLETE_STUDY');
    expect(early.__typename).toBe('TransitionBlocked');
    expect(early.blockers.map((b: any) => b.code).sort()).toEqual(
      ['FILM_MISSING', 'GROUP_DISCUSSION_MISSING', 'PARTY_LECTURE_MISSING', 'STUDY_DWELL'].sort(),
    );
    expect(early.earliestAt).toBeNull();

    sut.clock.advanceDays(1);
    expect(
      (
        await officer.mutate('recordStudySession', {
          unitId: village,
          format: 'GROUP_DISCUSSION',
          occurredAt: day(),
          hours: 2,
          attendees: 12,
        })
      ).__typename,
    ).toBe('EvidenceRecorded');
    expect(
      (await officer.mutate('recordFilmScreening', { unitId: village, title: '焦裕禄', occurredAt: day() })).__typename,
    ).toBe('EvidenceRecorded');
    expect(
      (await officer.mutate('recordPartyLecture', { unitId: village, lecturer: '李书记', occurredAt: day() }))
        .__typename,
    ).toBe('EvidenceRecorded');
    expect((await officer.send(village, 'COMPLETE_STUDY')).status.activeStates).toContain('stage1.study.met');

    for (let i = 0; i < 5; i++) {
      const r = await officer.mutate(
        'recordOpinion',
        {
          targetUnitId: village,
          collectedByUnitId: village,
          channel: i < 3 ? 'HOME_VISIT' : 'PHONE',
          category: i < 3 ? 'FORMALISM' : 'WORK',
          text: `意见${i}`,
          occurredAt: day(),
        },
        '... on OpinionRecorded { opinionId }',
      );
      expect(r.__typename).toBe('OpinionRecorded');
    }
    expect((await officer.send(village, 'COMPLETE_LISTENING')).status.activeStates).toContain('stage1.listening.met');

    const problem = await officer.mutate(
      'identifyProblem',
      { unitId: village, category: '损害群众利益', description: '低保评定不公开', fixAtOnce: true },
      '... on ProblemIdentified { problemId }',
    );
    expect(problem.__typename).toBe('ProblemIdentified');
    expect((await officer.send(village, 'COMPLETE_CORRECTING')).blockers.map((b: any) => b.code)).toEqual([
      'FIX_AT_ONCE_OPEN',
    ]);
    expect(
      (
        await officer.mutate('rectifyProblem', {
          unitId: village,
          problemId: problem.problemId,
          action: '张榜公示',
          occurredAt: day(),
        })
      ).__typename,
    ).toBe('EvidenceRecorded');
    expect((await officer.send(village, 'COMPLETE_CORRECTING')).status.activeStates).toContain('stage1.correcting.met');
  });

  it('holds the look-back request until the stage dwell, and says when', async () => {
    const r = await officer.send(village, 'REQUEST_LOOKBACK');
    expect(r.__typename).toBe('TransitionBlocked');
    expect(r.blockers.map((b: any) => b.code)).toEqual(['STAGE_DWELL']);
    expect(r.earliestAt).not.toBeNull();
    const option = (await officer.transitions(village)).find((t) => t.event === 'REQUEST_LOOKBACK')!;
    expect(option).toMatchObject({ allowed: false, earliestAt: r.earliestAt });
    sut.clock.set(r.earliestAt);
    expect((await officer.send(village, 'REQUEST_LOOKBACK')).status.phase).toBe('lookBack');
  });

  it('is judged on four items by a supervisor and completes stage 1', async () => {
    expect((await officer.send(village, 'CONCLUDE_LOOKBACK')).__typename).toBe('GraphQLError');
    for (const item of ['STUDY', 'LISTENING', 'COMBINED', 'STYLE']) {
      expect(
        (await supervisor.mutate('recordLookBackVerdict', { unitId: village, item, verdict: 'PASS', note: '扎实' }))
          .__typename,
      ).toBe('VerdictRecorded');
    }
    const done = await supervisor.send(village, 'CONCLUDE_LOOKBACK');
    expect(done.status).toMatchObject({ phase: 'stage1Complete', activeStates: ['stage1Complete'] });
    expect(await officer.historyCount(village)).toBe(done.status.version);
  });
});
