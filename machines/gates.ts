/**
 * The gates: one small pure rule each, `(context, atMs, rulebook) → Blocker[]`. The machine's guards are
 * "no blockers" over these very functions; `explain` and `progress` read them too, so there is one truth.
 */
import { DAY_MS, isoOf, localDayNumber } from './calendar.js';
import type { CampaignContext } from './context.js';
import type { Rulebook } from './rulebook.js';
import { LOOKBACK_ITEMS, type Region } from './vocabulary.js';

export interface Blocker {
  code: string;
  message: string;
  required: string | null;
  actual: string | null;
}

export type Gate = (context: CampaignContext, atMs: number, rulebook: Rulebook) => Blocker[];

/** Where a gate belongs on a dashboard. */
export type GateScope = 'launch' | Region | 'stage' | 'lookBack';

export interface GateCheck {
  met: boolean;
  required: string;
  actual: string;
  message: string;
  /** dwell gates only: the instant (epoch ms) from which the gate passes */
  dueAtMs?: number | null;
}

export interface GateDefinition {
  readonly code: string;
  readonly scope: GateScope;
  readonly label: string;
  /** a dwell gate: time alone will lift it */
  readonly dwell?: boolean;
  /** a structural gate: even an admin override cannot lift it (it would skip a state) */
  readonly structural?: boolean;
  applies(context: CampaignContext, rulebook: Rulebook): boolean;
  check(context: CampaignContext, atMs: number, rulebook: Rulebook): GateCheck;
}

const kindRules = (context: CampaignContext, rulebook: Rulebook) => rulebook.kinds[context.unit.kind];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function atLeast(
  actual: number,
  required: number,
  unit: string,
  what: string,
  units = `${unit}s`,
): GateCheck {
  return {
    met: actual >= required,
    required: plural(required, unit, units),
    actual: String(actual),
    message: `${what}: ${actual} of the ${required} required.`,
  };
}

function share(part: number, total: number, percent: number, what: string): GateCheck {
  const actualPercent = total === 0 ? 0 : Math.floor((part * 100) / total);
  return {
    met: total > 0 && part * 100 >= percent * total,
    required: `${percent}%`,
    actual: total === 0 ? '0% (no opinions)' : `${actualPercent}% (${part} of ${total})`,
    message: `${what} is ${total === 0 ? 'undefined: no opinions yet' : `${actualPercent}% (${part} of ${total})`}; at least ${percent}% required.`,
  };
}

function dwell(entryMs: number | null, days: number, atMs: number, what: string): GateCheck {
  const required = plural(days, 'day');
  if (entryMs === null) return { met: false, required, actual: 'not started', message: `${what}: not started.`, dueAtMs: null };
  const dueAtMs = entryMs + days * DAY_MS;
  const servedMs = Math.max(0, atMs - entryMs);
  const served = `${Math.floor(servedMs / DAY_MS)} days ${Math.floor((servedMs % DAY_MS) / 3_600_000)} h`;
  const met = atMs >= dueAtMs;
  return {
    met,
    required,
    actual: served,
    message: met ? `${what}: served.` : `${what}: ${served} served of ${required}; allowed from ${isoOf(dueAtMs)}.`,
    dueAtMs,
  };
}

const always = () => true;

// ── launch ────────────────────────────────────────────────────────────────────────────────────────────
export const STUDY_PLAN_FILED: GateDefinition = {
  code: 'STUDY_PLAN_MISSING',
  scope: 'launch',
  label: 'written study plan filed',
  applies: always,
  check: (c) => ({
    met: c.studyPlanFiled,
    required: 'filed',
    actual: c.studyPlanFiled ? 'filed' : 'missing',
    message: 'A written study plan (focus, time, method, requirements) must be filed before LAUNCH.',
  }),
};

// ── study ─────────────────────────────────────────────────────────────────────────────────────────────
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
    atLeast(c.study.sessionsByFormat.THEMATIC_SEMINAR, kindRules(c, r).study.thematicSeminars, 'thematic seminar', 'Thematic seminars (study by theme)'),
};

export const LECTURERS: GateDefinition = {
  code: 'LECTURERS_SHORT',
  scope: 'study',
  label: 'distinct party lecturers (one per leading cadre)',
  applies: (c, r) => kindRules(c, r).study.lecturerPerLeader,
  check: (c) =>
    atLeast(c.study.lecturers.length, c.unit.leaderCount, 'distinct lecturer', 'Leading cadres who gave a party lecture'),
};

export const GROUP_DISCUSSION: GateDefinition = {
  code: 'GROUP_DISCUSSION_MISSING',
  scope: 'study',
  label: 'group discussions',
  applies: (c, r) => kindRules(c, r).study.groupDiscussions > 0,
  check: (c, _at, r) =>
    atLeast(c.study.sessionsByFormat.GROUP_DISCUSSION, kindRules(c, r).study.groupDiscussions, 'group discussion', 'Concentrated study discussions'),
};

export const ETHICS_TRAINING: GateDefinition = {
  code: 'ETHICS_TRAINING_MISSING',
  scope: 'study',
  label: 'ethics / conduct trainings',
  applies: (c, r) => kindRules(c, r).study.ethicsTrainings > 0,
  check: (c, _at, r) =>
    atLeast(c.study.sessionsByFormat.ETHICS_TRAINING, kindRules(c, r).study.ethicsTrainings, 'ethics training', 'Ethics and conduct trainings (they count for nothing else)'),
};

export const FILM: GateDefinition = {
  code: 'FILM_MISSING',
  scope: 'study',
  label: 'thematic film screenings',
  applies: (c, r) => kindRules(c, r).study.filmScreenings > 0,
  check: (c, _at, r) => atLeast(c.study.filmScreenings, kindRules(c, r).study.filmScreenings, 'film screening', 'Thematic film screenings'),
};

export const PARTY_LECTURE: GateDefinition = {
  code: 'PARTY_LECTURE_MISSING',
  scope: 'study',
  label: 'party lectures',
  applies: (c, r) => kindRules(c, r).study.partyLectures > 0,
  check: (c, _at, r) => atLeast(c.study.partyLectures, kindRules(c, r).study.partyLectures, 'party lecture', 'Party lectures'),
};

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
    atLeast(sessionsExceptEthics(c), kindRules(c, r).study.anySessions, 'study session', 'Study sessions of any format but ethics training'),
};

export const STUDY_DWELL: GateDefinition = {
  code: 'STUDY_DWELL',
  scope: 'study',
  label: 'study dwell since launch',
  dwell: true,
  applies: (c, r) => kindRules(c, r).study.dwellDays > 0,
  check: (c, at, r) => dwell(c.launchedAt, kindRules(c, r).study.dwellDays, at, 'Minimum study time since launch'),
};

// ── listening ─────────────────────────────────────────────────────────────────────────────────────────
export const OPINIONS: GateDefinition = {
  code: 'OPINIONS_SHORT',
  scope: 'listening',
  label: 'opinions heard',
  applies: always,
  check: (c, _at, r) => atLeast(c.listening.opinions, kindRules(c, r).listening.minOpinions, 'opinion', 'Opinions recorded for this unit'),
};

export const FACE_TO_FACE_SHARE: GateDefinition = {
  code: 'FACE_TO_FACE_SHARE_LOW',
  scope: 'listening',
  label: 'face-to-face share of opinions',
  applies: always,
  check: (c, _at, r) =>
    share(c.listening.faceToFace, c.listening.opinions, kindRules(c, r).listening.faceToFacePercent, 'The face-to-face share (face-to-face, home visit, forum, conduct review)'),
};

export const FOUR_STYLES_SHARE: GateDefinition = {
  code: 'FOUR_STYLES_SHARE_LOW',
  scope: 'listening',
  label: '"four styles" share of opinions',
  applies: always,
  check: (c, _at, r) =>
    share(c.listening.fourStyles, c.listening.opinions, kindRules(c, r).listening.fourStylesPercent, 'The "four styles" share (formalism, bureaucratism, hedonism, extravagance)'),
};

export const ROUTED_OPINIONS_CLAIMED: GateDefinition = {
  code: 'UNCLAIMED_OPINIONS',
  scope: 'listening',
  label: 'routed opinions left unclaimed',
  applies: always,
  check: (c) => {
    const n = c.unclaimedOpinionIds.length;
    return {
      met: n === 0,
      required: '0 unclaimed',
      actual: String(n),
      message: `${plural(n, 'opinion')} routed to this unit by others still to be claimed${n ? `: ${c.unclaimedOpinionIds.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''}` : ''}.`,
    };
  },
};

export const COLLECTIVE_DELIBERATION: GateDefinition = {
  code: 'DELIBERATION_MISSING',
  scope: 'listening',
  label: 'collective deliberation on or after the latest opinion',
  applies: (c, r) => kindRules(c, r).listening.collectiveDeliberation,
  check: (c, _at, r) => {
    const { latestDeliberationAt: d, latestOpinionAt: o } = c.listening;
    const met = d !== null && (o === null || localDayNumber(d, r.timeZone) >= localDayNumber(o, r.timeZone));
    const actual = d === null ? 'none' : met ? 'held' : 'held before the latest opinion';
    return {
      met,
      required: 'a deliberation dated on or after the latest opinion',
      actual,
      message:
        d === null
          ? 'No collective deliberation (集体议) of the opinions has been held.'
          : met
            ? 'A collective deliberation was held after the latest opinion.'
            : 'The latest collective deliberation is dated before the latest opinion; deliberate again.',
    };
  },
};

// ── correcting ────────────────────────────────────────────────────────────────────────────────────────
export const PROBLEM_IDENTIFIED: GateDefinition = {
  code: 'NO_PROBLEM_IDENTIFIED',
  scope: 'correcting',
  label: 'problems identified',
  applies: always,
  check: (c, _at, r) => atLeast(c.correcting.problemsIdentified, kindRules(c, r).correcting.minProblemsIdentified, 'problem', 'Problems identified'),
};

export const FIX_AT_ONCE_RECTIFIED: GateDefinition = {
  code: 'FIX_AT_ONCE_OPEN',
  scope: 'correcting',
  label: '"fix at once" problems still open',
  applies: always,
  check: (c) => {
    const open = Object.keys(c.openProblems).filter((id) => c.openProblems[id].fixAtOnce);
    return {
      met: open.length === 0,
      required: '0 open',
      actual: String(open.length),
      message: `${plural(open.length, 'problem')} marked "fix at once" (立行立改) still open${open.length ? `: ${open.slice(0, 5).join(', ')}` : ''}.`,
    };
  },
};

export const NONE_OVERDUE: GateDefinition = {
  code: 'PROBLEM_OVERDUE',
  scope: 'correcting',
  label: 'open problems past their due date',
  applies: always,
  check: (c, at) => {
    const overdue = Object.keys(c.openProblems).filter((id) => {
      const due = c.openProblems[id].dueAt;
      return due !== null && at > due;
    });
    return {
      met: overdue.length === 0,
      required: '0 overdue',
      actual: String(overdue.length),
      message: `${plural(overdue.length, 'open problem')} past the due date${overdue.length ? `: ${overdue.slice(0, 5).join(', ')}` : ''}.`,
    };
  },
};

// ── the stage ─────────────────────────────────────────────────────────────────────────────────────────
export const STAGE_DWELL: GateDefinition = {
  code: 'STAGE_DWELL',
  scope: 'stage',
  label: 'stage dwell since launch',
  dwell: true,
  applies: (c, r) => kindRules(c, r).stageDwellDays > 0,
  check: (c, at, r) => dwell(c.launchedAt, kindRules(c, r).stageDwellDays, at, 'Minimum stage time since launch'),
};

export const REWORK_DWELL: GateDefinition = {
  code: 'REWORK_DWELL',
  scope: 'stage',
  label: 'rework dwell since the re-forge began',
  dwell: true,
  applies: (_c, r) => r.reworkDwellDays > 0,
  check: (c, at, r) => dwell(c.reforgeStartedAt, r.reworkDwellDays, at, 'Minimum rework time since the re-forge began'),
};

export const NO_OPEN_FINDING: GateDefinition = {
  code: 'OPEN_FINDINGS',
  scope: 'stage',
  label: 'open supervision findings',
  applies: always,
  check: (c) => {
    const n = c.openFindingIds.length;
    return {
      met: n === 0,
      required: '0 open',
      actual: String(n),
      message: `${plural(n, 'supervision finding')} still open${n ? `: ${c.openFindingIds.slice(0, 5).join(', ')}` : ''}; respond and have a supervisor resolve them.`,
    };
  },
};

// ── the look-back ─────────────────────────────────────────────────────────────────────────────────────
export const ALL_VERDICTS: GateDefinition = {
  code: 'VERDICTS_MISSING',
  scope: 'lookBack',
  label: 'look-back items with a verdict',
  structural: true,
  applies: always,
  check: (c) => {
    const missing = LOOKBACK_ITEMS.filter((item) => c.verdicts[item] === undefined);
    return {
      met: missing.length === 0,
      required: `${LOOKBACK_ITEMS.length} verdicts`,
      actual: String(LOOKBACK_ITEMS.length - missing.length),
      message: missing.length ? `No verdict yet on: ${missing.join(', ')}.` : 'All four items have a verdict.',
    };
  },
};

/** Every context gate, in the order blockers are listed. */
export const GATE_DEFINITIONS: readonly GateDefinition[] = [
  STUDY_PLAN_FILED,
  CONCENTRATED_DAYS,
  THEMATIC_SEMINARS,
  LECTURERS,
  GROUP_DISCUSSION,
  ETHICS_TRAINING,
  FILM,
  PARTY_LECTURE,
  ANY_STUDY_SESSION,
  STUDY_DWELL,
  OPINIONS,
  FACE_TO_FACE_SHARE,
  FOUR_STYLES_SHARE,
  ROUTED_OPINIONS_CLAIMED,
  COLLECTIVE_DELIBERATION,
  PROBLEM_IDENTIFIED,
  FIX_AT_ONCE_RECTIFIED,
  NONE_OVERDUE,
  STAGE_DWELL,
  REWORK_DWELL,
  NO_OPEN_FINDING,
  ALL_VERDICTS,
];

export interface Evaluation {
  blockers: Blocker[];
  /** the latest due moment of the dwell blockers, when only dwell blockers are left; else null */
  earliestAtMs: number | null;
}

/** Evaluate a list of gate definitions: every unmet condition, not only the first. */
export function evaluateGates(
  definitions: readonly GateDefinition[],
  context: CampaignContext,
  atMs: number,
  rulebook: Rulebook,
): Evaluation {
  const blockers: Blocker[] = [];
  let onlyDwell = true;
  let earliestAtMs: number | null = null;
  for (const definition of definitions) {
    if (!definition.applies(context, rulebook)) continue;
    const check = definition.check(context, atMs, rulebook);
    if (check.met) continue;
    blockers.push({ code: definition.code, message: check.message, required: check.required, actual: check.actual });
    if (definition.dwell && check.dueAtMs != null) {
      earliestAtMs = earliestAtMs === null ? check.dueAtMs : Math.max(earliestAtMs, check.dueAtMs);
    } else {
      onlyDwell = false;
    }
  }
  return { blockers, earliestAtMs: onlyDwell && blockers.length > 0 ? earliestAtMs : null };
}

/** Turn a definition into the named pure gate function `(context, atMs, rulebook) → Blocker[]`. */
export const gateOf =
  (definition: GateDefinition): Gate =>
  (context, atMs, rulebook) =>
    evaluateGates([definition], context, atMs, rulebook).blockers;

export const studyPlanFiled = gateOf(STUDY_PLAN_FILED);
export const concentratedDays = gateOf(CONCENTRATED_DAYS);
export const thematicSeminars = gateOf(THEMATIC_SEMINARS);
export const lecturers = gateOf(LECTURERS);
export const groupDiscussion = gateOf(GROUP_DISCUSSION);
export const ethicsTraining = gateOf(ETHICS_TRAINING);
export const filmScreening = gateOf(FILM);
export const partyLecture = gateOf(PARTY_LECTURE);
export const anyStudySession = gateOf(ANY_STUDY_SESSION);
export const studyDwell = gateOf(STUDY_DWELL);
export const opinionsHeard = gateOf(OPINIONS);
export const faceToFaceShare = gateOf(FACE_TO_FACE_SHARE);
export const fourStylesShare = gateOf(FOUR_STYLES_SHARE);
export const routedOpinionsClaimed = gateOf(ROUTED_OPINIONS_CLAIMED);
export const collectiveDeliberation = gateOf(COLLECTIVE_DELIBERATION);
export const problemIdentified = gateOf(PROBLEM_IDENTIFIED);
export const fixAtOnceRectified = gateOf(FIX_AT_ONCE_RECTIFIED);
export const noneOverdue = gateOf(NONE_OVERDUE);
export const stageDwell = gateOf(STAGE_DWELL);
export const reworkDwell = gateOf(REWORK_DWELL);
export const noOpenFinding = gateOf(NO_OPEN_FINDING);
export const allVerdicts = gateOf(ALL_VERDICTS);

/** Not context gates: they read the facts the engine supplies, or the state configuration. */
export function parentLaunchedBlockers(parentLaunched: boolean | undefined): Blocker[] {
  if (parentLaunched === true) return [];
  return [
    {
      code: 'PARENT_NOT_LAUNCHED',
      message:
        parentLaunched === undefined
          ? 'Whether the parent unit has launched is unknown; a unit may not launch before its parent (压茬启动).'
          : 'The parent unit has not launched yet; a unit may not launch before its parent (压茬启动).',
      required: 'parent launched',
      actual: parentLaunched === undefined ? 'unknown' : 'not launched',
    },
  ];
}

export function regionsNotMetBlockers(activeRegions: readonly Region[]): Blocker[] {
  if (activeRegions.length === 0) return [];
  return [
    {
      code: 'REGIONS_NOT_MET',
      message: `Regions not yet met: ${activeRegions.join(', ')}; complete each before asking for the look-back.`,
      required: '3 regions met',
      actual: `${3 - activeRegions.length} met`,
    },
  ];
}

const STUDY_CONTENT = [CONCENTRATED_DAYS, THEMATIC_SEMINARS, LECTURERS, GROUP_DISCUSSION, ETHICS_TRAINING, FILM, PARTY_LECTURE, ANY_STUDY_SESSION];
const LISTENING_CONTENT = [OPINIONS, FACE_TO_FACE_SHARE, FOUR_STYLES_SHARE, ROUTED_OPINIONS_CLAIMED, COLLECTIVE_DELIBERATION];
const CORRECTING_CONTENT = [PROBLEM_IDENTIFIED, FIX_AT_ONCE_RECTIFIED, NONE_OVERDUE];

/** Which context gates hold back which stage event, in which phase. */
export const GATE_SETS = {
  launch: [STUDY_PLAN_FILED],
  'stage1.study': [...STUDY_CONTENT, STUDY_DWELL],
  'stage1.listening': LISTENING_CONTENT,
  'stage1.correcting': CORRECTING_CONTENT,
  'stage1.requestLookBack': [STAGE_DWELL, NO_OPEN_FINDING],
  'reforging.study': [...STUDY_CONTENT, REWORK_DWELL],
  'reforging.listening': [...LISTENING_CONTENT, REWORK_DWELL],
  'reforging.correcting': [...CORRECTING_CONTENT, REWORK_DWELL],
  'reforging.requestLookBack': [REWORK_DWELL, NO_OPEN_FINDING],
  conclude: [ALL_VERDICTS],
} as const satisfies Record<string, readonly GateDefinition[]>;

export type GateSetName = keyof typeof GATE_SETS;

export function gateSetBlockers(name: GateSetName, context: CampaignContext, atMs: number, rulebook: Rulebook): Evaluation {
  return evaluateGates(GATE_SETS[name], context, atMs, rulebook);
}
