import { Field, InputType, Int } from '@nestjs/graphql';

/** The meta fields every command's input takes besides its own. */
@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Retrying with the same key and input returns the first result and appends nothing (1–200 characters).',
  })
  idempotencyKey?: string | null;
  @Field(() => Int, { nullable: true, description: 'The unit version you read; a stale one gives VersionConflict.' })
  expectedVersion?: number | null;
}
