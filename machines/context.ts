/** The unit's campaign context: what the gates read, bounded, plain JSON (instants as epoch ms). */
import type { Rulebook } from './rulebook.js';
import {
  LOOKBACK_ITEMS,
  REGIONS,
  type LookBackItem,
  type Region,
  type StudyFormatV1,
  type UnitKind,
  type Verdict,
} from './vocabulary.js';

export interface UnitProfile {
  kind: UnitKind;
  /** number of leading cadres; LEADERSHIP_BODY needs party lectures by this many distinct lecturers */
  leaderCount: number;
}

/** Study evidence counted inside the study region's window. */
export interface StudyTally {
  /** distinct calendar dates (rulebook zone) with a CONCENTRATED session, capped at what the gate needs */
  concentratedDates: string[];
  sessionsByFormat: Record<StudyFormatV1, number>;
  /** distinct party lecturers, capped at what the gate needs */
  lecturers: string[];
  partyLectures: number;
  filmScreenings: number;
}

/** Listening evidence counted inside the listening region's window. */
export interface ListeningTally {
  opinions: number;
  faceToFace: number;
  fourStyles: number;
  latestOpinionAt: number | null;
  latestDeliberationAt: number | null;
}

export interface CorrectingTally {
  problemsIdentified: number;
}

export interface OpenProblem {
  fixAtOnce: boolean;
  /** epoch ms, or null when no due date was set */
  dueAt: number | null;
}

/**
 * Ruleset 2's tallies (absent under ruleset 1, whose stored snapshots keep their exact shape). The study ones
 * count inside the study region's window and start afresh when a re-forge reopens study.
 */
export interface SupplementTally {
  /** required-content topics named by counting study evidence, sorted */
  topics: string[];
  /** named province activities held, sorted */
  activities: string[];
  /** hours of CONCENTRATED sessions per calendar date not yet counted as a concentrated day (bounded by the cap) */
  concentratedHours: Record<string, number>;
  /** when the unit last filed its self-assessment of the four items (epoch ms) */
  selfAssessedAt: number | null;
}

/**
 * Only what the gates need, and bounded: counters, capped sets, and the ids that must still be closed.
 * All instants are epoch ms. Plain JSON.
 */
export interface CampaignContext {
  rulebookVersion: number;
  unit: UnitProfile;
  studyPlanFiled: boolean;
  launchedAt: number | null;
  reforgeStartedAt: number | null;
  /** look-back round: 0 before the first look-back, +1 on each entry into lookBack */
  round: number;
  /** regions reopened by the latest look-back (empty before any re-forge) */
  reopenedRegions: Region[];
  /** evidence dated before a region's window start does not count for it (launch, then re-forge start) */
  windowStart: Record<Region, number | null>;
  study: StudyTally;
  listening: ListeningTally;
  correcting: CorrectingTally;
  /** opinions routed here by another unit and not yet claimed */
  unclaimedOpinionIds: string[];
  openProblems: Record<string, OpenProblem>;
  openFindingIds: string[];
  /** the current look-back round's verdicts */
  verdicts: Partial<Record<LookBackItem, Verdict>>;
  /** ruleset 2 and later */
  supplement?: SupplementTally;
}

export const emptySupplementTally = (): SupplementTally => ({
  topics: [],
  activities: [],
  concentratedHours: {},
  selfAssessedAt: null,
});

const emptyStudyTally = (): StudyTally => ({
  concentratedDates: [],
  sessionsByFormat: { CONCENTRATED: 0, THEMATIC_SEMINAR: 0, GROUP_DISCUSSION: 0, SELF_STUDY: 0, ETHICS_TRAINING: 0 },
  lecturers: [],
  partyLectures: 0,
  filmScreenings: 0,
});

const emptyListeningTally = (): ListeningTally => ({
  opinions: 0,
  faceToFace: 0,
  fourStyles: 0,
  latestOpinionAt: null,
  latestDeliberationAt: null,
});

export function initialContext(profile: UnitProfile, rulebook: Rulebook): CampaignContext {
  return {
    rulebookVersion: rulebook.version,
    unit: { kind: profile.kind, leaderCount: profile.leaderCount },
    studyPlanFiled: false,
    launchedAt: null,
    reforgeStartedAt: null,
    round: 0,
    reopenedRegions: [],
    windowStart: { study: null, listening: null, correcting: null },
    study: emptyStudyTally(),
    listening: emptyListeningTally(),
    correcting: { problemsIdentified: 0 },
    unclaimedOpinionIds: [],
    openProblems: {},
    openFindingIds: [],
    verdicts: {},
    ...(rulebook.ruleset >= 2 ? { supplement: emptySupplementTally() } : {}),
  };
}

/** How many distinct lecturers the study gate can ever ask of this unit: the cap of the lecturer set. */
export function lecturersNeeded(context: CampaignContext, rulebook: Rulebook): number {
  const rules = rulebook.kinds[context.unit.kind].study;
  if (!rules.lecturerPerLeader) return 0;
  // ruleset 2: no silent waiver — a leadership body without a leader count still needs its lecturers
  return Math.max(context.unit.leaderCount, rulebook.supplement?.minLecturers ?? 0);
}

/** The regions a set of verdicts reopens, in region order. */
function regionsToReopen(verdicts: CampaignContext['verdicts'], rulebook: Rulebook): Region[] {
  const reopened = new Set<Region>();
  for (const item of LOOKBACK_ITEMS) {
    if (verdicts[item] === 'FAIL') for (const region of rulebook.lookBackItemRegions[item]) reopened.add(region);
  }
  return REGIONS.filter((r) => reopened.has(r));
}

/** Entering `reforging`: reopened regions start a new counting window with fresh counters. */
export function beginReforge(context: CampaignContext, atMs: number, rulebook: Rulebook): CampaignContext {
  const reopenedRegions = regionsToReopen(context.verdicts, rulebook);
  const windowStart = { ...context.windowStart };
  for (const region of reopenedRegions) windowStart[region] = atMs;
  return {
    ...context,
    reforgeStartedAt: atMs,
    reopenedRegions,
    windowStart,
    study: reopenedRegions.includes('study') ? emptyStudyTally() : context.study,
    listening: reopenedRegions.includes('listening') ? emptyListeningTally() : context.listening,
    correcting: reopenedRegions.includes('correcting') ? { problemsIdentified: 0 } : context.correcting,
    ...(context.supplement && reopenedRegions.includes('study')
      ? { supplement: { ...context.supplement, topics: [], activities: [], concentratedHours: {} } }
      : {}),
  };
}
