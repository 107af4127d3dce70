import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { COMMAND_FAILURES } from '../../common/results/error-results.js';
import { resultUnion } from '../../common/results/result-union.js';
import { UnitStatus } from '../../units/unit-status.model.js';


@ObjectType({ isAbstract: true })
abstract class Accepted {
  @Field(() => UnitStatus, { description: 'The unit after the command.' })
  status: UnitStatus;
  @Field(() => Int, { description: 'The seq of the event the command appended.' })
  eventSeq: number;
}

@ObjectType()
export class TransitionAccepted extends Accepted {
  readonly __typename = 'TransitionAccepted';
  @Field()
  event: string;
}

@ObjectType()
export class EvidenceRecorded extends Accepted {
  readonly __typename = 'EvidenceRecorded';
}

@ObjectType()
export class OpinionRecorded extends Accepted {
  readonly __typename = 'OpinionRecorded';
  @Field(() => ID)
  opinionId: string;
}

@ObjectType()
export class ProblemIdentified extends Accepted {
  readonly __typename = 'ProblemIdentified';
  @Field(() => ID)
  problemId: string;
}

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

const union = <T extends abstract new (...args: never[]) => unknown>(name: string, success: () => T) =>
  resultUnion(name, () => [success(), ...COMMAND_FAILURES] as const);

export const SendEventResult = union('SendEventResult', () => TransitionAccepted);
export const OverrideTransitionResult = union('OverrideTransitionResult', () => TransitionAccepted);
export const FileStudyPlanResult = union('FileStudyPlanResult', () => EvidenceRecorded);
export const RecordStudySessionResult = union('RecordStudySessionResult', () => EvidenceRecorded);
export const RecordPartyLectureResult = union('RecordPartyLectureResult', () => EvidenceRecorded);
export const RecordFilmScreeningResult = union('RecordFilmScreeningResult', () => EvidenceRecorded);
export const RecordOpinionResult = union('RecordOpinionResult', () => OpinionRecorded);
export const ClaimOpinionResult = union('ClaimOpinionResult', () => EvidenceRecorded);
export const RecordCollectiveDeliberationResult = union('RecordCollectiveDeliberationResult', () => EvidenceRecorded);
export const IdentifyProblemResult = union('IdentifyProblemResult', () => ProblemIdentified);
export const RectifyProblemResult = union('RectifyProblemResult', () => EvidenceRecorded);
export const IssueFindingResult = union('IssueFindingResult', () => FindingIssued);
export const ResolveFindingResult = union('ResolveFindingResult', () => FindingResolved);
export const RecordLookBackVerdictResult = union('RecordLookBackVerdictResult', () => VerdictRecorded);

export function accepted<T extends Accepted>(type: new () => T, status: UnitStatus, eventSeq: number, extra: Partial<T> = {}): T {
  return Object.assign(new type(), { status, eventSeq }, extra);
}
