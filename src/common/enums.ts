import { registerEnumType } from '@nestjs/graphql';
import {
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  OPINION_CATEGORIES,
  OPINION_CHANNELS,
  SELF_RATINGS,
  STUDY_FORMATS,
  STUDY_TOPICS,
  VERDICTS,
} from '../../machines/index.js';

/** GraphQL enums made from the statechart's vocabularies: one source, no copy kept in sync by hand. */
function enumOf<T extends string>(values: readonly T[], name: string, description: string): { [K in T]: K } {
  const e = Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
  registerEnumType(e, { name, description });
  return e;
}

export const StudyFormatEnum = enumOf(
  STUDY_FORMATS,
  'StudyFormat',
  'ETHICS_TRAINING never counts as required content; BUSINESS_TRAINING (rulebook v2) counts for nothing.',
);
export const StudyTopicEnum = enumOf(
  STUDY_TOPICS,
  'StudyTopic',
  'Required content (rulebook v2); ETHICS_AND_CONDUCT only from an ETHICS_TRAINING session.',
);
export const SelfRatingEnum = enumOf(
  SELF_RATINGS,
  'SelfRating',
  "A unit's own rating of a look-back item (rulebook v2).",
);
export const OpinionChannelEnum = enumOf(
  OPINION_CHANNELS,
  'OpinionChannel',
  'Face-to-face: FACE_TO_FACE HOME_VISIT FORUM CONDUCT_REVIEW.',
);
export const OpinionCategoryEnum = enumOf(OPINION_CATEGORIES, 'OpinionCategory', 'The "four styles", and WORK.');
export const FindingKindEnum = enumOf(
  FINDING_KINDS,
  'FindingKind',
  "What a supervision group found (the provincial notice's list).",
);
export const LookBackItemEnum = enumOf(LOOKBACK_ITEMS, 'LookBackItem', 'The four items of the look-back.');
export const VerdictEnum = enumOf(VERDICTS, 'Verdict', 'PASS or FAIL.');
