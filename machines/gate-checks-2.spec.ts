/**
 * What each gate says, continued (gate-checks.spec.ts): the count of study sessions of any format, problems
 * identified, a dwell not yet started among the blockers, and ruleset 2's gates — required topics, prescribed
 * activities, the self-assessment (in a re-forge, filed since it began), and lecturers with at least one even
 * without a leader count.
 */
import { initialContext, type CampaignContext } from './context.js';
import { PROBLEM_IDENTIFIED } from './gates/correcting.js';
import { evaluateGates } from './gates/evaluator.js';
import { FACE_TO_FACE_SHARE, FOUR_STYLES_SHARE, OPINIONS } from './gates/listening.js';
import { REWORK_DWELL, STAGE_DWELL } from './gates/stage.js';
import { ANY_STUDY_SESSION, FILM, GROUP_DISCUSSION, PARTY_LECTURE, STUDY_DWELL } from './gates/study.js';
import {
  GROUP_DISCUSSION_V2,
  LECTURERS_V2,
  PROVINCE_ACTIVITIES,
  REQUIRED_TOPICS,
  SELF_ASSESSMENT,
} from './gates/supplement.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import type { UnitKind } from './vocabulary.js';

const T = Date.parse('2014-03-03T02:00:00Z');
const v2 = (kind: UnitKind, change: Partial<CampaignContext> = {}, leaderCount = 0): CampaignContext => ({
  ...initialContext({ kind, leaderCount }, RULEBOOK_V2),
  ...change,
});
const supplement = (change: Partial<NonNullable<CampaignContext['supplement']>>, kind: UnitKind = 'GRASSROOTS') => {
  const c = v2(kind);
  return { ...c, supplement: { ...c.supplement!, ...change } };
};

describe('study sessions of any format', () => {
  it('count every format but ethics training', () => {
    const c = initialContext({ kind: 'NON_PUBLIC_SOCIAL', leaderCount: 0 }, RULEBOOK_V1);
    const sessionsByFormat = {
      ...c.study.sessionsByFormat,
      CONCENTRATED: 1,
      THEMATIC_SEMINAR: 2,
      GROUP_DISCUSSION: 4,
      SELF_STUDY: 8,
      ETHICS_TRAINING: 16,
    };
    expect(
      ANY_STUDY_SESSION.check({ ...c, study: { ...c.study, sessionsByFormat } }, T, RULEBOOK_V1, {}),
    ).toStrictEqual({
      met: true,
      required: '1 study session',
      actual: '15',
      message: 'Study sessions of any format but ethics training: 15 of the 1 required.',
    });
    const ethicsOnly = { ...c.study.sessionsByFormat, ETHICS_TRAINING: 3 };
    expect(
      ANY_STUDY_SESSION.check({ ...c, study: { ...c.study, sessionsByFormat: ethicsOnly } }, T, RULEBOOK_V1, {}),
    ).toMatchObject({ met: false, actual: '0' });
  });
});

describe('opinions heard, and their shares', () => {
  const listening = (opinions: number, faceToFace: number, fourStyles: number) => {
    const c = initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
    return { ...c, listening: { ...c.listening, opinions, faceToFace, fourStyles } };
  };

  it('how many opinions were heard, of how many', () => {
    expect(OPINIONS.check(listening(3, 0, 0), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '5 opinions',
      actual: '3',
      message: 'Opinions recorded for this unit: 3 of the 5 required.',
    });
  });

  it('no opinions at all: undefined, unmet', () => {
    expect(FACE_TO_FACE_SHARE.check(listening(0, 0, 0), T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '60%',
      actual: '0% (no opinions)',
      message:
        'The face-to-face share (face-to-face, home visit, forum, conduct review) is undefined: no opinions yet; at least 60% required.',
    });
  });

  it('a share in whole percent, rounded down, and the counts it is made of', () => {
    expect(FOUR_STYLES_SHARE.check(listening(3, 0, 2), T, RULEBOOK_V1, {})).toStrictEqual({
      met: true,
      required: '50%',
      actual: '66% (2 of 3)',
      message:
        'The "four styles" share (formalism, bureaucratism, hedonism, extravagance) is 66% (2 of 3); at least 50% required.',
    });
  });
});

describe('a village’s study, and the dwell times, in words', () => {
  it('group discussion, film, party lecture; each dwell names what it counts from', () => {
    const c = initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
    const said = [GROUP_DISCUSSION, FILM, PARTY_LECTURE, STUDY_DWELL, STAGE_DWELL, REWORK_DWELL].map((gate) => {
      const { required, message } = gate.check(c, T, RULEBOOK_V1, {});
      return [required, message];
    });
    expect(said).toEqual([
      ['1 group discussion', 'Concentrated study discussions: 0 of the 1 required.'],
      ['1 film screening', 'Thematic film screenings: 0 of the 1 required.'],
      ['1 party lecture', 'Party lectures: 0 of the 1 required.'],
      ['1 day', 'Minimum study time since launch: not started.'],
      ['10 days', 'Minimum stage time since launch: not started.'],
      ['7 days', 'Minimum rework time since the re-forge began: not started.'],
    ]);
  });

  it('under ruleset 2 a village’s concentrated session is its group discussion too', () => {
    const c = v2('GRASSROOTS');
    expect(GROUP_DISCUSSION_V2.applies(c, RULEBOOK_V2)).toBe(true);
    expect(GROUP_DISCUSSION_V2.check(c, T, RULEBOOK_V2, {})).toStrictEqual({
      met: false,
      required: '1 group discussion',
      actual: '0',
      message: 'Concentrated study discussions: 0 of the 1 required.',
    });
    const concentrated = { ...c.study, sessionsByFormat: { ...c.study.sessionsByFormat, CONCENTRATED: 1 } };
    expect(GROUP_DISCUSSION_V2.check({ ...c, study: concentrated }, T, RULEBOOK_V2, {})).toMatchObject({ met: true });
    expect(REQUIRED_TOPICS.check(c, T, RULEBOOK_V2, {}).message).toBe(
      'Required content not yet studied: MASS_LINE_BASICS, LANKAO_SPEECH.',
    );
  });
});

describe('problems identified', () => {
  it('says how many of how many', () => {
    const c = initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
    expect(PROBLEM_IDENTIFIED.check(c, T, RULEBOOK_V1, {})).toStrictEqual({
      met: false,
      required: '1 problem',
      actual: '0',
      message: 'Problems identified: 0 of the 1 required.',
    });
  });
});

describe('a dwell not yet started', () => {
  it('has no due moment, so no moment is promised even beside a dwell that has one', () => {
    const c = { ...initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1), launchedAt: T };
    const evaluation = evaluateGates([STAGE_DWELL, REWORK_DWELL], c, T + 86_400_000, RULEBOOK_V1);
    expect(evaluation.blockers.map((b) => [b.code, b.actual])).toEqual([
      ['STAGE_DWELL', '1 days 0 h'],
      ['REWORK_DWELL', 'not started'],
    ]);
    expect(evaluation.earliestAtMs).toBeNull();
    // the started one alone has its moment
    expect(evaluateGates([STAGE_DWELL], c, T + 86_400_000, RULEBOOK_V1).earliestAtMs).toBe(T + 10 * 86_400_000);
  });
});

describe('required topics and prescribed activities (ruleset 2)', () => {
  it('name what is missing, and say when everything is done', () => {
    expect(REQUIRED_TOPICS.check(supplement({ topics: ['LANKAO_SPEECH'] }), T, RULEBOOK_V2, {})).toStrictEqual({
      met: false,
      required: 'MASS_LINE_BASICS, LANKAO_SPEECH',
      actual: '1 of 2',
      message: 'Required content not yet studied: MASS_LINE_BASICS.',
    });
    const all = supplement({ topics: ['LANKAO_SPEECH', 'MASS_LINE_BASICS'] });
    expect(REQUIRED_TOPICS.check(all, T, RULEBOOK_V2, {})).toStrictEqual({
      met: true,
      required: 'MASS_LINE_BASICS, LANKAO_SPEECH',
      actual: '2 of 2',
      message: 'Every required topic has been studied.',
    });
  });

  it('prescribed activities: the missing ones named, in the rulebook’s order', () => {
    const required = RULEBOOK_V2.supplement!.kinds.DIRECT_UNIT.requiredActivities;
    expect(required.length).toBeGreaterThan(1);
    const held = supplement({ activities: [required[1]] }, 'DIRECT_UNIT');
    expect(PROVINCE_ACTIVITIES.check(held, T, RULEBOOK_V2, {})).toStrictEqual({
      met: false,
      required: required.join(', '),
      actual: `1 of ${required.length}`,
      message: `Prescribed activities not yet held: ${required.filter((a) => a !== required[1]).join(', ')}.`,
    });
    const done = supplement({ activities: [...required] }, 'DIRECT_UNIT');
    expect(PROVINCE_ACTIVITIES.check(done, T, RULEBOOK_V2, {})).toMatchObject({
      met: true,
      actual: `${required.length} of ${required.length}`,
      message: 'Every prescribed activity has been held.',
    });
  });

  it('a context without the ruleset-2 tally yet has held nothing', () => {
    const bare = { ...v2('DIRECT_UNIT'), supplement: undefined };
    const required = RULEBOOK_V2.supplement!.kinds.DIRECT_UNIT.requiredActivities;
    expect(PROVINCE_ACTIVITIES.check(bare, T, RULEBOOK_V2, {})).toMatchObject({
      met: false,
      actual: `0 of ${required.length}`,
    });
    expect(REQUIRED_TOPICS.check(bare, T, RULEBOOK_V2, {})).toMatchObject({ met: false });
  });
});

describe('the self-assessment (ruleset 2)', () => {
  const check = (selfAssessedAt: number | null, reforgeStartedAt: number | null) =>
    SELF_ASSESSMENT.check({ ...supplement({ selfAssessedAt }), reforgeStartedAt }, T, RULEBOOK_V2, {});
  const fileIt =
    'File the self-assessment of the four look-back items (each MET, PARTLY or NOT_MET) before asking for the look-back.';

  it('outside a re-forge: filed or missing', () => {
    expect(check(T, null)).toStrictEqual({
      met: true,
      required: 'filed',
      actual: 'filed',
      message: 'The self-assessment is filed.',
    });
    expect(check(null, null)).toStrictEqual({ met: false, required: 'filed', actual: 'missing', message: fileIt });
  });

  it('in a re-forge: filed since it began (at the same instant counts), not before', () => {
    const required = 'filed since the re-forge began';
    expect(check(T, T)).toStrictEqual({
      met: true,
      required,
      actual: 'filed',
      message: 'The self-assessment is filed.',
    });
    expect(check(T - 1, T)).toStrictEqual({
      met: false,
      required,
      actual: 'filed before the re-forge',
      message: 'The self-assessment predates the re-forge: file a new one before asking for the look-back.',
    });
    expect(check(null, T)).toStrictEqual({ met: false, required, actual: 'missing', message: fileIt });
  });
});

describe('lecturers under ruleset 2', () => {
  it('a leadership body without a leader count still needs one lecturer', () => {
    const c = v2('LEADERSHIP_BODY');
    expect(LECTURERS_V2.check(c, T, RULEBOOK_V2, {})).toStrictEqual({
      met: false,
      required: '1 distinct lecturer',
      actual: '0',
      message: 'Leading cadres who gave a party lecture: 0 of the 1 required.',
    });
    const three = v2('LEADERSHIP_BODY', {}, 3);
    expect(LECTURERS_V2.check(three, T, RULEBOOK_V2, {})).toMatchObject({ required: '3 distinct lecturers' });
  });
});
