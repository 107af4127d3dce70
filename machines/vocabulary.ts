/** The campaign's closed vocabularies: const arrays are the single source, types are derived from them. */

export const UNIT_KINDS = [
  'LEADERSHIP_BODY',
  'DIRECT_UNIT',
  'TOWNSHIP_STREET',
  'WINDOW_SERVICE',
  'GRASSROOTS',
  'NON_PUBLIC_SOCIAL',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Every format any ruleset knows; BUSINESS_TRAINING (ruleset 2) counts for nothing. */
export const STUDY_FORMATS = [
  'CONCENTRATED',
  'THEMATIC_SEMINAR',
  'GROUP_DISCUSSION',
  'SELF_STUDY',
  'ETHICS_TRAINING',
  'BUSINESS_TRAINING',
] as const;
export type StudyFormat = (typeof STUDY_FORMATS)[number];
/** The formats ruleset 1 accepts (its context keeps exactly these five counters). */
export const STUDY_FORMATS_V1 = [
  'CONCENTRATED',
  'THEMATIC_SEMINAR',
  'GROUP_DISCUSSION',
  'SELF_STUDY',
  'ETHICS_TRAINING',
] as const;
export type StudyFormatV1 = (typeof STUDY_FORMATS_V1)[number];

/** Required content (规定内容) a study session or party lecture may name (ruleset 2). */
export const STUDY_TOPICS = [
  'NOTICE_FOUR_REQUIREMENTS',
  'LANKAO_SPEECH',
  'SERIES_SPEECHES',
  'REQUIRED_READINGS',
  'JIAO_YULU_SPIRIT',
  'MASS_LINE_BASICS',
  'ETHICS_AND_CONDUCT',
] as const;
export type StudyTopic = (typeof STUDY_TOPICS)[number];

/** A unit's own rating of a look-back item (ruleset 2's self-assessment). */
export const SELF_RATINGS = ['MET', 'PARTLY', 'NOT_MET'] as const;
export type SelfRating = (typeof SELF_RATINGS)[number];

export const OPINION_CHANNELS = [
  'FACE_TO_FACE',
  'HOME_VISIT',
  'FORUM',
  'CONDUCT_REVIEW',
  'LETTER',
  'PETITION_VISIT',
  'REFERRAL',
  'ONLINE',
  'PHONE',
  'INTERNAL',
] as const;
export type OpinionChannel = (typeof OPINION_CHANNELS)[number];

export const OPINION_CATEGORIES = ['FORMALISM', 'BUREAUCRATISM', 'HEDONISM', 'EXTRAVAGANCE', 'WORK'] as const;
export type OpinionCategory = (typeof OPINION_CATEGORIES)[number];

export const FINDING_KINDS = [
  'LAZY_THINKING',
  'SHALLOW_STUDY',
  'COLD_ATMOSPHERE',
  'SCATTERED_FOCUS',
  'HOLLOW_OPINIONS',
  'UNEVEN_PROGRESS',
  'GOING_THROUGH_MOTIONS',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const LOOKBACK_ITEMS = ['STUDY', 'LISTENING', 'COMBINED', 'STYLE'] as const;
export type LookBackItem = (typeof LOOKBACK_ITEMS)[number];

export const VERDICTS = ['PASS', 'FAIL'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const REGIONS = ['study', 'listening', 'correcting'] as const;
export type Region = (typeof REGIONS)[number];

export const PHASES = ['registered', 'stage1', 'lookBack', 'reforging', 'stage1Complete'] as const;
export type Phase = (typeof PHASES)[number];
