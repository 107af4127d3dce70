import { Field, GraphQLISODateTime, ID, InputType, Int, Float } from '@nestjs/graphql';
import {
  FindingKindEnum,
  LookBackItemEnum,
  OpinionCategoryEnum,
  OpinionChannelEnum,
  StudyFormatEnum,
  VerdictEnum,
} from '../common/enums.js';

@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => String, { nullable: true, description: 'Retrying with the same key and input returns the first result and appends nothing.' })
  idempotencyKey?: string | null;
  @Field(() => Int, { nullable: true, description: 'The unit version you read; a stale one gives VersionConflict.' })
  expectedVersion?: number | null;
}

@InputType()
export class SendEventInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: 'LAUNCH COMPLETE_STUDY COMPLETE_LISTENING COMPLETE_CORRECTING REQUEST_LOOKBACK CONCLUDE_LOOKBACK' })
  event: string;
  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class OverrideTransitionInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field()
  event: string;
  @Field({ description: 'Mandatory: why the gates are overridden. Kept, flagged, in the history forever.' })
  reason: string;
}

@InputType()
export class SendEventToSubtreeInput {
  @Field(() => ID)
  rootId: string;
  @Field()
  event: string;
  @Field(() => [String], { nullable: true, description: 'Only units of these kinds (default: all).' })
  kinds?: string[] | null;
  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class FileStudyPlanInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => [String])
  topics: string[];
  @Field(() => Int)
  plannedDays: number;
}

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
  @Field(() => String, { nullable: true })
  topic?: string | null;
}

@InputType()
export class RecordPartyLectureInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field()
  lecturer: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => ID, { nullable: true })
  audienceUnitId?: string | null;
}

@InputType()
export class RecordFilmScreeningInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field()
  title: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}

@InputType()
export class RecordOpinionInput extends CommandInput {
  @Field(() => ID, { description: 'The unit the opinion is about: it counts there from the moment it is recorded.' })
  targetUnitId: string;
  @Field(() => ID, { description: 'Who collected it; when another unit, the target must claim it.' })
  collectedByUnitId: string;
  @Field(() => OpinionChannelEnum)
  channel: string;
  @Field(() => OpinionCategoryEnum)
  category: string;
  @Field()
  text: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}

@InputType()
export class ClaimOpinionInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  opinionId: string;
}

@InputType()
export class RecordCollectiveDeliberationInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => Int)
  opinionsDiscussed: number;
}

@InputType()
export class IdentifyProblemInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: "One of the kind's fix-at-once problems, or any other category." })
  category: string;
  @Field()
  description: string;
  @Field()
  fixAtOnce: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt?: Date | null;
  @Field(() => ID, { nullable: true })
  sourceOpinionId?: string | null;
}

@InputType()
export class RectifyProblemInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  problemId: string;
  @Field()
  action: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}

@InputType()
export class IssueFindingInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => FindingKindEnum)
  kind: string;
  @Field()
  note: string;
}

@InputType()
export class ResolveFindingInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  findingId: string;
  @Field({ description: "The unit's response to the finding." })
  response: string;
}

@InputType()
export class RecordLookBackVerdictInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => LookBackItemEnum)
  item: string;
  @Field(() => VerdictEnum)
  verdict: string;
  @Field()
  note: string;
}
