import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Accepted } from '../commands/accepted.js';
import { InvalidInput, NotFound, STAGE_EVENT_FAILURES } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';

@ObjectType()
export class TransitionAccepted extends Accepted {
  readonly __typename = 'TransitionAccepted';
  @Field()
  event: string;
}

export const SendEventResult = resultUnion(
  'SendEventResult',
  () => [TransitionAccepted, ...STAGE_EVENT_FAILURES] as const,
);
export const OverrideTransitionResult = resultUnion(
  'OverrideTransitionResult',
  () => [TransitionAccepted, ...STAGE_EVENT_FAILURES] as const,
);

@ObjectType()
export class CodeCount {
  @Field()
  code: string;
  @Field(() => Int)
  count: number;
}

@ObjectType()
export class BulkEventSummary {
  readonly __typename = 'BulkEventSummary';
  @Field()
  event: string;
  @Field(() => Int, { description: 'Units the event was sent to.' })
  total: number;
  @Field(() => Int)
  accepted: number;
  @Field(() => [CodeCount], { description: 'Units whose gates blocked the event, counted by blocker code.' })
  blockedByCode: CodeCount[];
  @Field(() => Int)
  blocked: number;
  @Field(() => [CodeCount], {
    description: 'Units that refused for another reason (FORBIDDEN included), counted by error code.',
  })
  failedByCode: CodeCount[];
  @Field(() => Int)
  failed: number;
}

export const SendEventToSubtreeResult = resultUnion(
  'SendEventToSubtreeResult',
  () => [BulkEventSummary, InvalidInput, NotFound] as const,
);
