import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Accepted } from '../commands/accepted.js';
import { EVENT_COMMAND_FAILURES } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';

@ObjectType()
export class FindingIssued extends Accepted {
  readonly __typename = 'FindingIssued';
  @Field(() => ID)
  findingId: string;
}

@ObjectType()
export class FindingResolved extends Accepted {
  readonly __typename = 'FindingResolved';
}

@ObjectType()
export class VerdictRecorded extends Accepted {
  readonly __typename = 'VerdictRecorded';
}

export const IssueFindingResult = resultUnion(
  'IssueFindingResult',
  () => [FindingIssued, ...EVENT_COMMAND_FAILURES] as const,
);
export const ResolveFindingResult = resultUnion(
  'ResolveFindingResult',
  () => [FindingResolved, ...EVENT_COMMAND_FAILURES] as const,
);
export const RecordLookBackVerdictResult = resultUnion(
  'RecordLookBackVerdictResult',
  () => [VerdictRecorded, ...EVENT_COMMAND_FAILURES] as const,
);
