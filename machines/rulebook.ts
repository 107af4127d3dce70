/**
 * A rulebook: an immutable, numbered document of plain JSON (no functions) that the machine runs under. Its
 * `ruleset` names the generation of gate code that reads it; its numbers and lists are data an admin may
 * change in a new version. machines/ runs any rulebook it is handed; it keeps no registry of versions.
 */
import { canonicalJson, deepFreeze } from './json.js';
import {
  UNIT_KINDS,
  type LookBackItem,
  type OpinionCategory,
  type OpinionChannel,
  type Region,
  type StudyTopic,
  type UnitKind,
} from './vocabulary.js';

/** The generations of gate code this build can run. */
export const RULESETS = [1, 2] as const;
export type Ruleset = (typeof RULESETS)[number];

/** What the study region demands of one unit kind. A zero means "not required for this kind". */
export interface StudyRules {
  /** distinct calendar days with a CONCENTRATED session */
  readonly concentratedDays: number;
  readonly thematicSeminars: number;
  /** party lectures by at least `leaderCount` distinct lecturers (every leading cadre lectures) */
  readonly lecturerPerLeader: boolean;
  readonly groupDiscussions: number;
  readonly ethicsTrainings: number;
  readonly filmScreenings: number;
  readonly partyLectures: number;
  /** sessions of any format but ETHICS_TRAINING */
  readonly anySessions: number;
  /** minimum days between LAUNCH and COMPLETE_STUDY */
  readonly dwellDays: number;
}

export interface ListeningRules {
  readonly minOpinions: number;
  /** minimum share of face-to-face channels, in whole percent */
  readonly faceToFacePercent: number;
  /** minimum share of "four styles" categories, in whole percent */
  readonly fourStylesPercent: number;
  /** a collective deliberation dated on or after the latest opinion */
  readonly collectiveDeliberation: boolean;
}

export interface CorrectingRules {
  readonly minProblemsIdentified: number;
}

export interface KindRules {
  readonly study: StudyRules;
  readonly listening: ListeningRules;
  readonly correcting: CorrectingRules;
  /** minimum days between LAUNCH and REQUEST_LOOKBACK */
  readonly stageDwellDays: number;
}

/** Ruleset 2's additions for one unit kind (Hebei's supplement). */
export interface SupplementKindRules {
  /** topics the study evidence must have named, each at least once (规定内容) */
  readonly requiredTopics: readonly StudyTopic[];
  /** named province activities (规定动作) held at least once each */
  readonly requiredActivities: readonly string[];
  /** problem categories (codes of `problemCategories`) that are fix-at-once whatever the officer says (立行立改) */
  readonly fixAtOnceCategories: readonly string[];
  /** a CONCENTRATED session also counts as the kind's group discussion (villages' 集中学习讨论) */
  readonly concentratedCountsAsDiscussion: boolean;
}

/** Ruleset 2: the provincial supplement (冀群组发〔2014〕33号) and v1's loopholes closed. */
export interface SupplementRules {
  /** the catalogue of named activities a unit may record (读原著、学纪实、看专辑、听报告, …) */
  readonly activities: readonly string[];
  /** problem category code → its wording in the notice; a category is filed by code or wording, or OTHER */
  readonly problemCategories: Readonly<Record<string, string>>;
  /** a day counts as a concentrated day only when its CONCENTRATED sessions total at least this many hours */
  readonly concentratedDayMinHours: number;
  /** leadership bodies: party lectures by at least max(leaderCount, this) distinct lecturers */
  readonly minLecturers: number;
  readonly kinds: Readonly<Record<UnitKind, SupplementKindRules>>;
}

export interface Rulebook {
  /** the document's number: stored in every snapshot and event run under it */
  readonly version: number;
  /** which generation of gate code runs this document */
  readonly ruleset: Ruleset;
  /** IANA zone in which "a day" is a calendar day */
  readonly timeZone: string;
  /** minimum days of rework in `reforging` before a reopened region completes or REQUEST_LOOKBACK */
  readonly reworkDwellDays: number;
  readonly faceToFaceChannels: readonly OpinionChannel[];
  readonly fourStylesCategories: readonly OpinionCategory[];
  /** which regions a FAIL on each look-back item reopens */
  readonly lookBackItemRegions: Readonly<Record<LookBackItem, readonly Region[]>>;
  readonly kinds: Readonly<Record<UnitKind, KindRules>>;
  /** ruleset 2 and later: the supplement's rules (absent under ruleset 1) */
  readonly supplement?: SupplementRules;
}

/**
 * What a rulebook must have for machines/ to run it at all (the shape, not the wisdom of its numbers): a
 * positive integer version, a ruleset this build runs, a time zone Intl knows, and rules for every unit kind.
 */
export function assertRunnable(rulebook: Rulebook): void {
  const name = `rulebook v${String(rulebook?.version)}`;
  if (typeof rulebook !== 'object' || rulebook === null) throw new Error('A rulebook must be an object.');
  if (!Number.isInteger(rulebook.version) || rulebook.version < 1)
    throw new Error(`${name}: version must be an integer ≥ 1.`);
  if (!(RULESETS as readonly unknown[]).includes(rulebook.ruleset)) {
    throw new Error(
      `${name} asks for ruleset ${JSON.stringify(rulebook.ruleset)}; this build runs ruleset ${RULESETS.join(', ')}.`,
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: rulebook.timeZone });
  } catch {
    throw new Error(`${name}: unknown time zone ${JSON.stringify(rulebook.timeZone)}.`);
  }
  const missing = UNIT_KINDS.filter((kind) => typeof rulebook.kinds?.[kind] !== 'object');
  if (missing.length) throw new Error(`${name} has no rules for ${missing.join(', ')}.`);
  if (rulebook.ruleset >= 2) {
    const lacking = UNIT_KINDS.filter((kind) => typeof rulebook.supplement?.kinds?.[kind] !== 'object');
    if (lacking.length)
      throw new Error(`${name} (ruleset ${rulebook.ruleset}) has no supplement rules for ${lacking.join(', ')}.`);
  }
}

/**
 * A rulebook's identity is its content: version + every number and list, in canonical JSON. The document is
 * frozen here, so a machine cached for it can never go stale behind its back: a change is a new document.
 */
export function rulebookKey(rulebook: Rulebook): string {
  return `v${rulebook.version}:${canonicalJson(deepFreeze(rulebook))}`;
}
