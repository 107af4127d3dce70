import type { LookBackItem, OpinionCategory, OpinionChannel, Region, UnitKind } from './vocabulary.js';

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

export interface Rulebook {
  readonly version: number;
  /** IANA zone in which "a day" is a calendar day */
  readonly timeZone: string;
  /** minimum days of rework in `reforging` before a reopened region completes or REQUEST_LOOKBACK */
  readonly reworkDwellDays: number;
  readonly faceToFaceChannels: readonly OpinionChannel[];
  readonly fourStylesCategories: readonly OpinionCategory[];
  /** which regions a FAIL on each look-back item reopens */
  readonly lookBackItemRegions: Readonly<Record<LookBackItem, readonly Region[]>>;
  readonly kinds: Readonly<Record<UnitKind, KindRules>>;
}

const NO_STUDY: StudyRules = {
  concentratedDays: 0,
  thematicSeminars: 0,
  lecturerPerLeader: false,
  groupDiscussions: 0,
  ethicsTrainings: 0,
  filmScreenings: 0,
  partyLectures: 0,
  anySessions: 0,
  dwellDays: 0,
};

const listening = (minOpinions: number, collectiveDeliberation = false): ListeningRules => ({
  minOpinions,
  faceToFacePercent: 60,
  fourStylesPercent: 50,
  collectiveDeliberation,
});

const CORRECTING: CorrectingRules = { minProblemsIdentified: 1 };

const DIRECT_UNIT_RULES: KindRules = {
  study: { ...NO_STUDY, concentratedDays: 2, groupDiscussions: 1, dwellDays: 3 },
  listening: listening(10),
  correcting: CORRECTING,
  stageDwellDays: 14,
};

/** Rulebook v1: the numbers of DOMAIN.md ("source" ones from the 2014 notice, "default" ones ours). */
export const RULEBOOK_V1: Rulebook = {
  version: 1,
  timeZone: 'Asia/Shanghai',
  reworkDwellDays: 7,
  faceToFaceChannels: ['FACE_TO_FACE', 'HOME_VISIT', 'FORUM', 'CONDUCT_REVIEW'],
  fourStylesCategories: ['FORMALISM', 'BUREAUCRATISM', 'HEDONISM', 'EXTRAVAGANCE'],
  lookBackItemRegions: {
    STUDY: ['study'],
    LISTENING: ['listening'],
    COMBINED: ['correcting'],
    STYLE: ['study', 'listening', 'correcting'],
  },
  kinds: {
    LEADERSHIP_BODY: {
      study: { ...NO_STUDY, concentratedDays: 5, thematicSeminars: 2, lecturerPerLeader: true, dwellDays: 5 },
      listening: listening(20, true),
      correcting: CORRECTING,
      stageDwellDays: 20,
    },
    DIRECT_UNIT: DIRECT_UNIT_RULES,
    TOWNSHIP_STREET: DIRECT_UNIT_RULES,
    WINDOW_SERVICE: { ...DIRECT_UNIT_RULES, study: { ...DIRECT_UNIT_RULES.study, ethicsTrainings: 1 } },
    GRASSROOTS: {
      study: { ...NO_STUDY, groupDiscussions: 1, filmScreenings: 1, partyLectures: 1, dwellDays: 1 },
      listening: listening(5),
      correcting: CORRECTING,
      stageDwellDays: 10,
    },
    NON_PUBLIC_SOCIAL: {
      study: { ...NO_STUDY, anySessions: 1, dwellDays: 1 },
      listening: listening(3),
      correcting: CORRECTING,
      stageDwellDays: 7,
    },
  },
};

export const RULEBOOKS: Record<number, Rulebook> = { 1: RULEBOOK_V1 };
export const CURRENT_RULEBOOK_VERSION = 1;

export function rulebookOf(version: number): Rulebook {
  const rulebook = RULEBOOKS[version];
  if (!rulebook) throw new Error(`Unknown rulebook version ${version}`);
  return rulebook;
}
