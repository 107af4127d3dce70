import { Field, Int, ObjectType } from '@nestjs/graphql';
import { UnitStatus } from '../history/unit-status.model.js';

/** What every accepted unit command answers: the unit after it, and the event it appended. */
@ObjectType({ isAbstract: true })
export abstract class Accepted {
  @Field(() => UnitStatus, { description: 'The unit after the command.' })
  status: UnitStatus;
  @Field(() => Int, { description: 'The seq of the event the command appended.' })
  eventSeq: number;
}

export function accepted<T extends Accepted>(
  type: new () => T,
  status: UnitStatus,
  eventSeq: number,
  extra: Partial<T> = {},
): T {
  return Object.assign(new type(), { status, eventSeq }, extra);
}
