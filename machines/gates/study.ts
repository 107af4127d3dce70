/** The study region's gates (学习教育): each kind's obligations counted from evidence, and the study dwell. */
import type { CampaignContext } from '../context.js';
import { atLeast, dwell, kindRules, type GateDefinition } from './evaluator.js';

export const CONCENTRATED_DAYS: GateDefinition = {
  code: 'CONCENTRATED_DAYS_SHORT',
  scope: 'study',
  label: 'concentrated study days',
  applies: (c, r) => kindRules(c, r).study.concentratedDays > 0,
  check: (c, _at, r) =>
    atLeast(
      c.study.concentratedDates.length,
      kindRules(c, r).study.concentratedDays,
      'distinct day',
      `Concentrated study held on distinct days (${r.timeZone} dates)`,
    ),
};

export const THEMATIC_SEMINARS: GateDefinition = {
  code: 'THEMATIC_SEMINARS_SHORT',
  scope: 'study',
  label: 'thematic seminars',
  applies: (c, r) => kindRules(c, r).study.thematicSeminars > 0,
  check: (c, _at, r) =>
    atLeast(
      c.study.sessionsByFormat.THEMATIC_SEMINAR,
      kindRules(c, r).study.thematicSeminars,
      'thematic seminar',
      'Thematic seminars (study by theme)',
    ),
};

export const LECTURERS: GateDefinition = {
  code: 'LECTURERS_SHORT',
  scope: 'study',
  label: 'distinct party lecturers (one per leading cadre)',
  applies: (c, r) => kindRules(c, r).study.lecturerPerLeader,
  check: (c) =>
    atLeast(
      c.study.lecturers.length,
      c.unit.leaderCount,
      'distinct lecturer',
      'Leading cadres who gave a party lecture',
    ),
};

export const GROUP_DISCUSSION: GateDefinition = {
  code: 'GROUP_DISCUSSION_MISSING',
  scope: 'study',
  label: 'group discussions',
  applies: (c, r) => kindRules(c, r).study.groupDiscussions > 0,
  check: (c, _at, r) =>
    atLeast(
      c.study.sessionsByFormat.GROUP_DISCUSSION,
      kindRules(c, r).study.groupDiscussions,
      'group discussion',
      'Concentrated study discussions',
    ),
};

export const ETHICS_TRAINING: GateDefinition = {
  code: 'ETHICS_TRAINING_MISSING',
  scope: 'study',
  label: 'ethics / conduct trainings',
  applies: (c, r) => kindRules(c, r).study.ethicsTrainings > 0,
  check: (c, _at, r) =>
    atLeast(
      c.study.sessionsByFormat.ETHICS_TRAINING,
      kindRules(c, r).study.ethicsTrainings,
      'ethics training',
      'Ethics and conduct trainings (they count for nothing else)',
    ),
};

export const FILM: GateDefinition = {
  code: 'FILM_MISSING',
  scope: 'study',
  label: 'thematic film screenings',
  applies: (c, r) => kindRules(c, r).study.filmScreenings > 0,
  check: (c, _at, r) =>
    atLeast(c.study.filmScreenings, kindRules(c, r).study.filmScreenings, 'film screening', 'Thematic film screenings'),
};

export const PARTY_LECTURE: GateDefinition = {
  code: 'PARTY_LECTURE_MISSING',
  scope: 'study',
  label: 'party lectures',
  applies: (c, r) => kindRules(c, r).study.partyLectures > 0,
  check: (c, _at, r) =>
    atLeast(c.study.partyLectures, kindRules(c, r).study.partyLectures, 'party lecture', 'Party lectures'),
};

/** Ethics training is required content for window units only: it never stands in for study. */
const sessionsExceptEthics = (c: CampaignContext) => {
  const s = c.study.sessionsByFormat;
  return s.CONCENTRATED + s.THEMATIC_SEMINAR + s.GROUP_DISCUSSION + s.SELF_STUDY;
};

export const ANY_STUDY_SESSION: GateDefinition = {
  code: 'STUDY_SESSION_MISSING',
  scope: 'study',
  label: 'study sessions (any format but ethics training)',
  applies: (c, r) => kindRules(c, r).study.anySessions > 0,
  check: (c, _at, r) =>
    atLeast(
      sessionsExceptEthics(c),
      kindRules(c, r).study.anySessions,
      'study session',
      'Study sessions of any format but ethics training',
    ),
};

export const STUDY_DWELL: GateDefinition = {
  code: 'STUDY_DWELL',
  scope: 'study',
  label: 'study dwell since launch',
  dwell: true,
  applies: (c, r) => kindRules(c, r).study.dwellDays > 0,
  check: (c, at, r) => dwell(c.launchedAt, kindRules(c, r).study.dwellDays, at, 'Minimum study time since launch'),
};

/** What the evidence must show, in the order blockers are listed (the dwell is added per phase). */
export const STUDY_CONTENT: readonly GateDefinition[] = [
  CONCENTRATED_DAYS,
  THEMATIC_SEMINARS,
  LECTURERS,
  GROUP_DISCUSSION,
  ETHICS_TRAINING,
  FILM,
  PARTY_LECTURE,
  ANY_STUDY_SESSION,
];
