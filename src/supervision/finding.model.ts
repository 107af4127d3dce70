import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/pagination.js';

@ObjectType('Finding')
export class FindingModel {
  @Field(() => ID)
  id: string;
  @Field()
  kind: string;
  @Field()
  note: string;
  @Field()
  issuedBy: string;
  @Field(() => GraphQLISODateTime)
  issuedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt: Date | null;
  @Field(() => String, { nullable: true })
  resolvedBy: string | null;
  @Field(() => String, { nullable: true })
  response: string | null;
}

@ObjectType('FindingConnection')
export class FindingConnection extends Connection(FindingModel, 'Finding') {}
