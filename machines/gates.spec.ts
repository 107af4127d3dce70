import { readFileSync } from 'node:fs';
import { type CampaignContext } from './context.js';
import { evaluateGates, type GateDefinition } from './gates/evaluator.js';
import { FACE_TO_FACE_SHARE, FOUR_STYLES_SHARE } from './gates/listening.js';
import { blockerCodesOf, gatesOf } from './gates/sets.js';
import { STAGE_DWELL } from './gates/stage.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import {
  DAY,
  T0,
  Unit,
  correctingEvidence,
  day,
  deliberation,
  film,
  launchedUnit,
  lecture,
  listeningEvidence,
  opinion,
  problem,
  session,
  studyEvidence,
  MIN_OPINIONS,
} from './spec-support.js';
import { initialSnapshot, type StepResult } from './step.js';
import { UNIT_KINDS, type UnitKind } from './vocabulary.js';

const codes = (r: StepResult) => (r.ok ? [] : r.failure === 'BLOCKED' ? r.blockers.map((b) => b.code) : [r.failure]);
const STUDY_DWELL_DAYS: Record<UnitKind, number> = {
  LEADERSHIP_BODY: 5,
  DIRECT_UNIT: 3,
  TOWNSHIP_STREET: 3,
  WINDOW_SERVICE: 3,
  GRASSROOTS: 1,
  NON_PUBLIC_SOCIAL: 1,
};
const STAGE_DWELL_DAYS: Record<UnitKind, number> = {
  LEADERSHIP_BODY: 20,
  DIRECT_UNIT: 14,
  TOWNSHIP_STREET: 14,
  WINDOW_SERVICE: 14,
  GRASSROOTS: 10,
  NON_PUBLIC_SOCIAL: 7,
};

function withStudy(kind: UnitKind, leaderCount = 2, skip?: (index: number) => boolean): Unit {
  const unit = launchedUnit(kind, leaderCount);
  studyEvidence(kind, leaderCount, 0).forEach((e, i) => {
    if (!skip?.(i)) unit.send(e);
  });
  return unit;
}

describe('rulebook v1 numbers', () => {
  it('keeps the campaign defaults per kind', () => {
    for (const kind of UNIT_KINDS) {
      expect(RULEBOOK_V1.kinds[kind].study.dwellDays).toBe(STUDY_DWELL_DAYS[kind]);
      expect(RULEBOOK_V1.kinds[kind].stageDwellDays).toBe(STAGE_DWELL_DAYS[kind]);
      expect(RULEBOOK_V1.kinds[kind].listening.minOpinions).toBe(MIN_OPINIONS[kind]);
      expect(RULEBOOK_V1.kinds[kind].listening.faceToFacePercent).toBe(60);
      expect(RULEBOOK_V1.kinds[kind].listening.fourStylesPercent).toBe(50);
    }
    expect(RULEBOOK_V1.reworkDwellDays).toBe(7);
    expect(RULEBOOK_V1.timeZone).toBe('Asia/Shanghai');
  });
});

describe.each(UNIT_KINDS)('study gate of %s', (kind) => {
  const dwell = STUDY_DWELL_DAYS[kind];

  it(`holds COMPLETE_STUDY until launch + ${dwell}×24h, to the millisecond`, () => {
    const unit = withStudy(kind);
    const early = unit.try({ type: 'COMPLETE_STUDY', at: new Date(T0 + dwell * DAY - 1).toISOString() });
    expect(early).toEqual({
      ok: false,
      failure: 'BLOCKED',
      blockers: [expect.objectContaining({ code: 'STUDY_DWELL', required: `${dwell} day${dwell > 1 ? 's' : ''}` })],
      earliestAt: new Date(T0 + dwell * DAY).toISOString(),
    });
    const onTime = unit.try({ type: 'COMPLETE_STUDY', at: new Date(T0 + dwell * DAY).toISOString() });
    expect(onTime.ok && onTime.status.activeStates).toContain('stage1.study.met');
  });

  it('names every missing piece of evidence, not only the first, and no earliestAt while evidence is missing', () => {
    const unit = launchedUnit(kind, 2);
    const result = unit.try({ type: 'COMPLETE_STUDY', at: day(30) });
    const expected: Record<UnitKind, string[]> = {
      LEADERSHIP_BODY: ['CONCENTRATED_DAYS_SHORT', 'THEMATIC_SEMINARS_SHORT', 'LECTURERS_SHORT'],
      DIRECT_UNIT: ['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING'],
      TOWNSHIP_STREET: ['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING'],
      WINDOW_SERVICE: ['CONCENTRATED_DAYS_SHORT', 'GROUP_DISCUSSION_MISSING', 'ETHICS_TRAINING_MISSING'],
      GRASSROOTS: ['GROUP_DISCUSSION_MISSING', 'FILM_MISSING', 'PARTY_LECTURE_MISSING'],
      NON_PUBLIC_SOCIAL: ['STUDY_SESSION_MISSING'],
    };
    expect(codes(result)).toEqual(expected[kind]);
    expect(!result.ok && result.failure === 'BLOCKED' && result.earliestAt).toBeNull();
    const early = unit.try({ type: 'COMPLETE_STUDY', at: day(0.5) });
    expect(codes(early)).toEqual([...expected[kind], 'STUDY_DWELL']);
    expect(!early.ok && early.failure === 'BLOCKED' && early.earliestAt).toBeNull();
  });

  it('lacks exactly the one requirement whose evidence is left out', () => {
    // every piece of the minimal evidence is needed: leaving any one out leaves exactly one blocker
    studyEvidence(kind, 2, 0).forEach((_, i) => {
      const unit = withStudy(kind, 2, (j) => j === i);
      expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(30) }))).toHaveLength(1);
    });
  });
});

describe('study boundaries', () => {
  it('LEADERSHIP_BODY: 4 distinct concentrated days are short, 5 pass; a second session the same Shanghai date adds nothing', () => {
    const unit = launchedUnit('LEADERSHIP_BODY', 1);
    unit.send(session('THEMATIC_SEMINAR', 0.1)).send(session('THEMATIC_SEMINAR', 0.2)).send(lecture('书记', 0.3));
    for (const d of [0, 1, 2, 3]) unit.send(session('CONCENTRATED', d));
    // 2014-02-05 15:59Z is 23:59 on 2014-02-05 in Shanghai, the same date as day 4 (01:00Z = 09:00)…
    unit.send({ ...session('CONCENTRATED', 3), occurredAt: '2014-02-04T15:59:00Z', at: day(4) });
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }))).toEqual(['CONCENTRATED_DAYS_SHORT']);
    expect(unit.snapshot.context.study.concentratedDates).toEqual([
      '2014-02-01',
      '2014-02-02',
      '2014-02-03',
      '2014-02-04',
    ]);
    // …while 16:00Z is already the next date there
    unit.send({ ...session('CONCENTRATED', 3), occurredAt: '2014-02-04T16:00:00Z', at: day(4) });
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok).toBe(true);
  });

  it('LEADERSHIP_BODY: 1 thematic seminar is short, 2 pass', () => {
    const unit = withStudy('LEADERSHIP_BODY', 2, (i) => i === 6);
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }))).toEqual(['THEMATIC_SEMINARS_SHORT']);
    unit.send(session('THEMATIC_SEMINAR', 2));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok).toBe(true);
  });

  it('LEADERSHIP_BODY: one lecturer short of leaderCount blocks; the same lecturer twice counts once', () => {
    const unit = withStudy('LEADERSHIP_BODY', 3, (i) => i === 9);
    unit.send(lecture('leader-0', 1));
    const r = unit.try({ type: 'COMPLETE_STUDY', at: day(6) });
    expect(!r.ok && r.failure === 'BLOCKED' && r.blockers).toEqual([
      { code: 'LECTURERS_SHORT', message: expect.any(String), required: '3 distinct lecturers', actual: '2' },
    ]);
    unit.send(lecture('leader-2', 1));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok).toBe(true);
  });

  it('LEADERSHIP_BODY with leaderCount 0 has no lecturer requirement', () => {
    const unit = withStudy('LEADERSHIP_BODY', 0);
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(6) }).ok).toBe(true);
  });

  it('DIRECT_UNIT: 1 concentrated day is short, 2 pass', () => {
    const unit = launchedUnit('DIRECT_UNIT')
      .send(session('GROUP_DISCUSSION', 0))
      .send(session('CONCENTRATED', 0))
      .send(session('CONCENTRATED', 0.2));
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(3) }))).toEqual(['CONCENTRATED_DAYS_SHORT']);
    unit.send(session('CONCENTRATED', 1));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(3) }).ok).toBe(true);
  });

  it('WINDOW_SERVICE: ethics training never counts as required content', () => {
    const unit = launchedUnit('WINDOW_SERVICE');
    for (let i = 0; i < 5; i++) unit.send(session('ETHICS_TRAINING', i * 0.5));
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(4) }))).toEqual([
      'CONCENTRATED_DAYS_SHORT',
      'GROUP_DISCUSSION_MISSING',
    ]);
    unit.send(session('CONCENTRATED', 0)).send(session('CONCENTRATED', 1)).send(session('GROUP_DISCUSSION', 1));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(4) }).ok).toBe(true);
  });

  it('WINDOW_SERVICE: without the ethics training the rest is not enough', () => {
    const unit = withStudy('WINDOW_SERVICE', 0, (i) => i === 3);
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(4) }))).toEqual(['ETHICS_TRAINING_MISSING']);
  });

  it('NON_PUBLIC_SOCIAL: an ethics training is not a study session; any other format is', () => {
    const unit = launchedUnit('NON_PUBLIC_SOCIAL').send(session('ETHICS_TRAINING', 0));
    expect(codes(unit.try({ type: 'COMPLETE_STUDY', at: day(2) }))).toEqual(['STUDY_SESSION_MISSING']);
    unit.send(session('THEMATIC_SEMINAR', 0.5));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(2) }).ok).toBe(true);
  });

  it('GRASSROOTS: a film, a group discussion and a party lecture, each missing in turn', () => {
    expect(codes(withStudy('GRASSROOTS', 0, (i) => i === 0).try({ type: 'COMPLETE_STUDY', at: day(2) }))).toEqual([
      'GROUP_DISCUSSION_MISSING',
    ]);
    expect(codes(withStudy('GRASSROOTS', 0, (i) => i === 1).try({ type: 'COMPLETE_STUDY', at: day(2) }))).toEqual([
      'FILM_MISSING',
    ]);
    expect(codes(withStudy('GRASSROOTS', 0, (i) => i === 2).try({ type: 'COMPLETE_STUDY', at: day(2) }))).toEqual([
      'PARTY_LECTURE_MISSING',
    ]);
    const unit = launchedUnit('GRASSROOTS').send(film(0)).send(session('GROUP_DISCUSSION', 0)).send(lecture('x', 0));
    expect(unit.try({ type: 'COMPLETE_STUDY', at: day(1) }).ok).toBe(true);
  });
});

describe.each(UNIT_KINDS)('listening gate of %s', (kind) => {
  const min = MIN_OPINIONS[kind];
  const deliberates = kind === 'LEADERSHIP_BODY';

  it(`needs ${min} opinions: ${min - 1} are short`, () => {
    const unit = launchedUnit(kind);
    for (let i = 0; i < min - 1; i++) unit.send(opinion(1));
    if (deliberates) unit.send(deliberation(1));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(2) }))).toEqual(['OPINIONS_SHORT']);
    unit.send(opinion(1));
    expect(unit.try({ type: 'COMPLETE_LISTENING', at: day(2) }).ok).toBe(true);
  });

  it('needs a 60% face-to-face share: 59 of 100 fail, 60 pass (any of the four face-to-face channels)', () => {
    const channels = ['FACE_TO_FACE', 'HOME_VISIT', 'FORUM', 'CONDUCT_REVIEW'];
    const unit = launchedUnit(kind);
    for (let i = 0; i < 59; i++) unit.send(opinion(1, { channel: channels[i % 4] }));
    for (let i = 0; i < 41; i++)
      unit.send(
        opinion(1, { channel: ['ONLINE', 'PHONE', 'INTERNAL', 'LETTER', 'PETITION_VISIT', 'REFERRAL'][i % 6] }),
      );
    if (deliberates) unit.send(deliberation(1));
    const r = unit.try({ type: 'COMPLETE_LISTENING', at: day(2) });
    expect(!r.ok && r.failure === 'BLOCKED' && r.blockers).toEqual([
      {
        code: 'FACE_TO_FACE_SHARE_LOW',
        message: expect.stringContaining('59%'),
        required: '60%',
        actual: '59% (59 of 100)',
      },
    ]);
    // one more face-to-face and one fewer other: rebuild with 60 of 100
    const ok = launchedUnit(kind);
    for (let i = 0; i < 60; i++) ok.send(opinion(1, { channel: channels[i % 4] }));
    for (let i = 0; i < 40; i++) ok.send(opinion(1, { channel: 'PHONE' }));
    if (deliberates) ok.send(deliberation(1));
    expect(ok.try({ type: 'COMPLETE_LISTENING', at: day(2) }).ok).toBe(true);
  });

  it('needs a 50% four-styles share: 49 of 100 fail, 50 pass', () => {
    const build = (styles: number) => {
      const unit = launchedUnit(kind);
      const categories = ['FORMALISM', 'BUREAUCRATISM', 'HEDONISM', 'EXTRAVAGANCE'];
      for (let i = 0; i < styles; i++) unit.send(opinion(1, { category: categories[i % 4] }));
      for (let i = styles; i < 100; i++) unit.send(opinion(1, { category: 'WORK' }));
      if (deliberates) unit.send(deliberation(1));
      return unit.try({ type: 'COMPLETE_LISTENING', at: day(2) });
    };
    expect(codes(build(49))).toEqual(['FOUR_STYLES_SHARE_LOW']);
    expect(build(50).ok).toBe(true);
  });

  it('needs every routed opinion claimed; an opinion counts for its target from the moment it is recorded', () => {
    const unit = launchedUnit(kind);
    listeningEvidence(kind, 1).forEach((e) => unit.send(e));
    unit.send(opinion(1.2, { routed: true, id: 'routed-1' }));
    expect(unit.snapshot.context.listening.opinions).toBe(min + 1);
    const at = day(2);
    if (deliberates) unit.send(deliberation(1.3));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at }))).toEqual(['UNCLAIMED_OPINIONS']);
    unit.send({ type: 'OPINION_CLAIMED', opinionId: 'routed-1', at });
    expect(unit.try({ type: 'COMPLETE_LISTENING', at }).ok).toBe(true);
  });
});

describe('collective deliberation (LEADERSHIP_BODY only)', () => {
  const build = (deliberatedAt: string) => {
    const unit = launchedUnit('LEADERSHIP_BODY');
    for (let i = 0; i < 20; i++) unit.send(opinion(2)); // 2014-02-03 09:00 Shanghai
    unit.send({ type: 'COLLECTIVE_DELIBERATION', occurredAt: deliberatedAt, opinionsDiscussed: 20, at: day(3) });
    return unit.try({ type: 'COMPLETE_LISTENING', at: day(3) });
  };

  it('a deliberation dated the day before the latest opinion does not count', () => {
    expect(codes(build('2014-02-02T15:59:59Z'))).toEqual(['DELIBERATION_MISSING']);
  });
  it('a deliberation dated on the latest opinion date counts (dates, not instants)', () => {
    expect(build('2014-02-02T16:00:00Z').ok).toBe(true);
    expect(build(day(2.2)).ok).toBe(true);
  });
  it('is not asked of other kinds', () => {
    const unit = launchedUnit('DIRECT_UNIT');
    for (let i = 0; i < 10; i++) unit.send(opinion(2));
    expect(unit.try({ type: 'COMPLETE_LISTENING', at: day(3) }).ok).toBe(true);
  });
  it('a newer opinion after the deliberation blocks again', () => {
    const unit = launchedUnit('LEADERSHIP_BODY');
    listeningEvidence('LEADERSHIP_BODY', 1).forEach((e) => unit.send(e));
    unit.send(opinion(2));
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(3) }))).toEqual(['DELIBERATION_MISSING']);
  });
});

describe.each(UNIT_KINDS)('correcting gate of %s', (kind) => {
  it('needs one problem identified', () => {
    const unit = launchedUnit(kind);
    expect(codes(unit.try({ type: 'COMPLETE_CORRECTING', at: day(1) }))).toEqual(['NO_PROBLEM_IDENTIFIED']);
    correctingEvidence(1).forEach((e) => unit.send(e));
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: day(1) }).ok).toBe(true);
  });

  it('needs every fix-at-once problem rectified', () => {
    const unit = launchedUnit(kind).send(problem(1, { fixAtOnce: true, id: 'p1' }));
    expect(codes(unit.try({ type: 'COMPLETE_CORRECTING', at: day(1) }))).toEqual(['FIX_AT_ONCE_OPEN']);
    unit.send({ type: 'PROBLEM_RECTIFIED', problemId: 'p1', occurredAt: day(1), at: day(1) });
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: day(1) }).ok).toBe(true);
  });

  it('allows an open problem up to its due instant, not 1 ms past it', () => {
    const unit = launchedUnit(kind).send(problem(1, { dueAt: 5 }));
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: new Date(T0 + 5 * DAY + 1).toISOString() }).ok).toBe(false);
    expect(codes(unit.try({ type: 'COMPLETE_CORRECTING', at: new Date(T0 + 5 * DAY + 1).toISOString() }))).toEqual([
      'PROBLEM_OVERDUE',
    ]);
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: day(5) }).ok).toBe(true);
  });
});

describe.each(UNIT_KINDS)('REQUEST_LOOKBACK of %s', (kind) => {
  const dwell = STAGE_DWELL_DAYS[kind];
  const allMet = () => {
    const unit = launchedUnit(kind);
    [...studyEvidence(kind, 2, 0), ...listeningEvidence(kind, 1), ...correctingEvidence(1)].forEach((e) =>
      unit.send(e),
    );
    unit
      .send({ type: 'COMPLETE_STUDY', at: day(6) })
      .send({ type: 'COMPLETE_LISTENING', at: day(6) })
      .send({ type: 'COMPLETE_CORRECTING', at: day(6) });
    return unit;
  };

  it(`needs ${dwell} days since launch, to the millisecond, with earliestAt`, () => {
    const unit = allMet();
    const r = unit.try({ type: 'REQUEST_LOOKBACK', at: new Date(T0 + dwell * DAY - 1).toISOString() });
    expect(r).toEqual({
      ok: false,
      failure: 'BLOCKED',
      blockers: [expect.objectContaining({ code: 'STAGE_DWELL' })],
      earliestAt: day(dwell),
    });
    expect(unit.try({ type: 'REQUEST_LOOKBACK', at: day(dwell) }).ok).toBe(true);
  });

  it('needs no open finding, and names it alongside the dwell (then no earliestAt)', () => {
    const unit = allMet().send({ type: 'FINDING_ISSUED', findingId: 'f1', kind: 'SHALLOW_STUDY', at: day(6) });
    const r = unit.try({ type: 'REQUEST_LOOKBACK', at: day(6.5) });
    expect(codes(r)).toEqual(['STAGE_DWELL', 'OPEN_FINDINGS']);
    expect(!r.ok && r.failure === 'BLOCKED' && r.earliestAt).toBeNull();
    unit.send({ type: 'FINDING_RESOLVED', findingId: 'f1', at: day(7) });
    expect(unit.try({ type: 'REQUEST_LOOKBACK', at: day(dwell) }).ok).toBe(true);
  });

  it('needs all three regions met', () => {
    const unit = launchedUnit(kind);
    expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(60) }))).toEqual(['REGIONS_NOT_MET']);
  });
});

describe('LAUNCH', () => {
  it('needs a filed study plan and a launched parent, both named', () => {
    const unit = new Unit(initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1));
    expect(codes(unit.try({ type: 'LAUNCH', parentLaunched: false, at: day(0) }))).toEqual([
      'STUDY_PLAN_MISSING',
      'PARENT_NOT_LAUNCHED',
    ]);
    unit.send({ type: 'FILE_STUDY_PLAN', topics: ['x'], plannedDays: 1, at: day(0) });
    expect(codes(unit.try({ type: 'LAUNCH', parentLaunched: false, at: day(0) }))).toEqual(['PARENT_NOT_LAUNCHED']);
    expect(unit.try({ type: 'LAUNCH', parentLaunched: true, at: day(0) }).ok).toBe(true);
  });
});

describe('gates are pure: (context, atMs, rulebook) → blockers', () => {
  const base = (): CampaignContext => launchedUnit('DIRECT_UNIT').snapshot.context;
  const blockersOf = (gate: GateDefinition, context: CampaignContext, atMs: number) =>
    evaluateGates([gate], context, atMs, RULEBOOK_V1).blockers;
  const faceToFaceShare = (c: CampaignContext, at: number) => blockersOf(FACE_TO_FACE_SHARE, c, at);
  const fourStylesShare = (c: CampaignContext, at: number) => blockersOf(FOUR_STYLES_SHARE, c, at);
  const stageDwell = (c: CampaignContext, at: number) => blockersOf(STAGE_DWELL, c, at);

  it('share gates at the boundary', () => {
    const c = base();
    const at = T0 + DAY;
    expect(faceToFaceShare({ ...c, listening: { ...c.listening, opinions: 100, faceToFace: 60 } }, at)).toEqual([]);
    expect(faceToFaceShare({ ...c, listening: { ...c.listening, opinions: 100, faceToFace: 59 } }, at)).toHaveLength(1);
    expect(fourStylesShare({ ...c, listening: { ...c.listening, opinions: 10, fourStyles: 5 } }, at)).toEqual([]);
    expect(fourStylesShare({ ...c, listening: { ...c.listening, opinions: 10, fourStyles: 4 } }, at)).toHaveLength(1);
    expect(faceToFaceShare({ ...c, listening: { ...c.listening, opinions: 0, faceToFace: 0 } }, at)[0].code).toBe(
      'FACE_TO_FACE_SHARE_LOW',
    );
  });

  it('do not read the clock: the same inputs give the same blockers', () => {
    const c = base();
    expect(stageDwell(c, T0 + DAY)).toEqual(stageDwell(c, T0 + DAY));
    expect(stageDwell(c, T0 + 14 * DAY)).toEqual([]);
    expect(stageDwell(c, T0 + 14 * DAY - 1)[0]).toMatchObject({
      code: 'STAGE_DWELL',
      required: '14 days',
      actual: '13 days 23 h',
    });
  });

  it.each([RULEBOOK_V1, RULEBOOK_V2])(
    'every blocker code of rulebook v$version is stable SCREAMING_SNAKE, unique, and in the README table',
    (rulebook) => {
      const all = blockerCodesOf(rulebook);
      expect(all).toEqual(
        expect.arrayContaining([
          ...gatesOf(rulebook).all.map((d) => d.code),
          'REGIONS_NOT_MET',
          'NOT_ALLOWED_IN_STATE',
        ]),
      );
      expect(new Set(all).size).toBe(all.length);
      for (const code of all) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
      expect(all.filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
    },
  );
});
