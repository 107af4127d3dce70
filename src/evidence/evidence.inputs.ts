import { Field, Float, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { CommandInput } from '../commands/command-input.js';
import { id, label, labels, personName, records, text, value, type InputShape } from '../commands/input-rules.js';
import {
  LookBackItemEnum,
  OpinionCategoryEnum,
  OpinionChannelEnum,
  SelfRatingEnum,
  StudyFormatEnum,
  StudyTopicEnum,
} from '../common/enums.js';

/*
 * The evidence officers record, and beside each input the rule of every field it stores (limits and
 * normalisation, applied by the command path before anything is kept).
 */

@InputType()
export class FileStudyPlanInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => [String], { description: '1–100 topics of at most 200 characters.' })
  topics: string[];
  @Field(() => Int)
  plannedDays: number;
}
export const FILE_STUDY_PLAN: InputShape = { unitId: id, topics: labels(), plannedDays: value };

@InputType()
export class RecordStudySessionInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => StudyFormatEnum)
  format: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => Float)
  hours: number;
  @Field(() => Int)
  attendees: number;
  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  topic?: string | null;
  @Field(() => [StudyTopicEnum], {
    nullable: true,
    description: 'Required content covered (rulebook v2 counts these).',
  })
  topics?: string[] | null;
}
export const RECORD_STUDY_SESSION: InputShape = {
  unitId: id,
  format: value,
  occurredAt: value,
  hours: value,
  attendees: value,
  topic: label(),
  topics: value,
};

@InputType()
export class RecordPartyLectureInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: "The lecturer's name (compared after NFKC, trimming and collapsing inner spaces)." })
  lecturer: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => ID, { nullable: true, description: 'The unit the lecture was given to; it must be in your scope.' })
  audienceUnitId?: string | null;
  @Field(() => [StudyTopicEnum], {
    nullable: true,
    description: 'Required content the lecture covered (rulebook v2 counts these).',
  })
  topics?: string[] | null;
}
export const RECORD_PARTY_LECTURE: InputShape = {
  unitId: id,
  lecturer: personName(),
  occurredAt: value,
  audienceUnitId: id,
  topics: value,
};

@InputType()
export class RecordFilmScreeningInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: 'At most 200 characters, e.g. 焦裕禄.' })
  title: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}
export const RECORD_FILM_SCREENING: InputShape = { unitId: id, title: label(), occurredAt: value };

@InputType()
export class RecordOpinionInput extends CommandInput {
  @Field(() => ID, { description: 'The unit the opinion is about: it counts there from the moment it is recorded.' })
  targetUnitId: string;
  @Field(() => ID, { description: 'Who collected it (in your scope); when another unit, the target must claim it.' })
  collectedByUnitId: string;
  @Field(() => OpinionChannelEnum)
  channel: string;
  @Field(() => OpinionCategoryEnum)
  category: string;
  @Field({ description: 'At most 10,000 characters.' })
  text: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}
export const RECORD_OPINION: InputShape = {
  targetUnitId: id,
  collectedByUnitId: id,
  channel: value,
  category: value,
  text: text(),
  occurredAt: value,
};

@InputType()
export class ClaimOpinionInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  opinionId: string;
}
export const CLAIM_OPINION: InputShape = { unitId: id, opinionId: id };

@InputType()
export class RecordCollectiveDeliberationInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => Int)
  opinionsDiscussed: number;
}
export const RECORD_COLLECTIVE_DELIBERATION: InputShape = { unitId: id, occurredAt: value, opinionsDiscussed: value };

@InputType()
export class IdentifyProblemInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: "One of the kind's fix-at-once problems, or any other category (at most 100 characters)." })
  category: string;
  @Field({ description: 'At most 10,000 characters.' })
  description: string;
  @Field()
  fixAtOnce: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt?: Date | null;
  @Field(() => ID, { nullable: true })
  sourceOpinionId?: string | null;
}
export const IDENTIFY_PROBLEM: InputShape = {
  unitId: id,
  category: label(100),
  description: text(),
  fixAtOnce: value,
  dueAt: value,
  sourceOpinionId: id,
};

@InputType()
export class RectifyProblemInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  problemId: string;
  @Field({ description: 'At most 10,000 characters.' })
  action: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}
export const RECTIFY_PROBLEM: InputShape = { unitId: id, problemId: id, action: text(), occurredAt: value };

@InputType()
export class RecordProvinceActivityInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({
    description:
      "A named activity of the unit's rulebook, e.g. READ_ORIGINALS, STUDY_RECORDS, WATCH_SERIES, HEAR_REPORT (rulebook v2).",
  })
  activity: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => String, { nullable: true, description: 'At most 10,000 characters.' })
  note?: string | null;
}
export const RECORD_PROVINCE_ACTIVITY: InputShape = {
  unitId: id,
  activity: label(100),
  occurredAt: value,
  note: text(),
};

@InputType()
export class SelfAssessmentItemInput {
  @Field(() => LookBackItemEnum)
  item: string;
  @Field(() => SelfRatingEnum)
  rating: string;
  @Field({ description: 'At most 10,000 characters.' })
  text: string;
}

@InputType()
export class FileSelfAssessmentInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => [SelfAssessmentItemInput], { description: 'Each of the four look-back items exactly once.' })
  items: SelfAssessmentItemInput[];
}
export const FILE_SELF_ASSESSMENT: InputShape = {
  unitId: id,
  items: records({ item: value, rating: value, text: text() }, 4),
};
