import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/pagination.js';

@ObjectType('Opinion')
export class OpinionModel {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  targetUnitId: string;
  @Field(() => ID, { nullable: true, description: 'Who collected it; null when that unit is outside your scope.' })
  collectedByUnitId: string | null;
  @Field()
  channel: string;
  @Field()
  category: string;
  @Field()
  text: string;
  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
  @Field(() => GraphQLISODateTime)
  recordedAt: Date;
  @Field({ description: 'Collected by another unit: the target must claim it.' })
  routed: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true })
  claimedAt: Date | null;
}

@ObjectType('OpinionConnection')
export class OpinionConnection extends Connection(OpinionModel, 'Opinion') {}

@ObjectType('Problem')
export class ProblemModel {
  @Field(() => ID)
  id: string;
  @Field()
  category: string;
  @Field()
  description: string;
  @Field()
  fixAtOnce: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt: Date | null;
  @Field(() => ID, { nullable: true })
  sourceOpinionId: string | null;
  @Field(() => GraphQLISODateTime)
  identifiedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true })
  rectifiedAt: Date | null;
  @Field(() => String, { nullable: true })
  action: string | null;
}

@ObjectType('ProblemConnection')
export class ProblemConnection extends Connection(ProblemModel, 'Problem') {}
