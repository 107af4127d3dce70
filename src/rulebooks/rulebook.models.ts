import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Rulebook', {
  description:
    "A numbered, immutable rulebook: the numbers and lists a unit's statechart runs under (docs/rulebooks.md).",
})
export class RulebookModel {
  @Field(() => Int)
  version: number;
  @Field(() => Int, {
    description:
      'The generation of gate code that reads it (1: the central notice; 2: with the provincial supplement).',
  })
  ruleset: number;
  @Field(() => Int, { nullable: true, description: 'The version it was published from; null for the built-in ones.' })
  basedOn: number | null;
  @Field({ description: 'Whether new units start on it.' })
  current: boolean;
  @Field({ description: 'Whether it ships with the service (v1, v2) rather than being published by an office.' })
  builtIn: boolean;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When an admin published it; null for the built-in ones.',
  })
  publishedAt: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Who published it (the token subject); null for the built-in ones.',
  })
  publishedBy: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was published; null for the built-in ones.' })
  reason: string | null;
  @Field({ description: 'The whole document as canonical JSON (keys sorted): every number and list the gates read.' })
  document: string;
  @Field({ description: 'sha256 of `document` (hex): what the publication fixed, checked each time it is loaded.' })
  contentHash: string;
}
