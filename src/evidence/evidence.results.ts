import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Accepted } from '../commands/accepted.js';
import { EVENT_COMMAND_FAILURES } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';

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

const union = <T extends abstract new (...args: never[]) => unknown>(name: string, success: () => T) =>
  resultUnion(name, () => [success(), ...EVENT_COMMAND_FAILURES] as const);

export const FileStudyPlanResult = union('FileStudyPlanResult', () => EvidenceRecorded);
export const RecordStudySessionResult = union('RecordStudySessionResult', () => EvidenceRecorded);
export const RecordPartyLectureResult = union('RecordPartyLectureResult', () => EvidenceRecorded);
export const RecordFilmScreeningResult = union('RecordFilmScreeningResult', () => EvidenceRecorded);
export const RecordOpinionResult = union('RecordOpinionResult', () => OpinionRecorded);
export const ClaimOpinionResult = union('ClaimOpinionResult', () => EvidenceRecorded);
export const RecordCollectiveDeliberationResult = union('RecordCollectiveDeliberationResult', () => EvidenceRecorded);
export const IdentifyProblemResult = union('IdentifyProblemResult', () => ProblemIdentified);
export const RectifyProblemResult = union('RectifyProblemResult', () => EvidenceRecorded);
export const RecordProvinceActivityResult = union('RecordProvinceActivityResult', () => EvidenceRecorded);
export const FileSelfAssessmentResult = union('FileSelfAssessmentResult', () => EvidenceRecorded);
