import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ErrorCode, ErrorResult, VersionConflict } from '../common/results/error-results.js';
import { resultUnion } from '../common/results/result-union.js';
import { JsonScalar } from '../graphql/json-scalar.js';
import { RulebookModel } from './rulebook.models.js';

@InputType()
export class PublishRulebookInput {
  @Field(() => Int, { description: 'The version the changes apply to.' })
  basedOn: number;
  @Field(() => JsonScalar, {
    description:
      'An RFC 7386 merge patch over that version: only numbers and lists (lists are replaced whole), e.g. {"kinds":{"GRASSROOTS":{"listening":{"minOpinions":8}}}}.',
  })
  changes: unknown;
  @Field({ description: 'Why it is published (kept with it; at most 2,000 characters).' })
  reason: string;
}

@ObjectType()
export class RulebookPublished {
  readonly __typename = 'RulebookPublished';
  @Field(() => RulebookModel, { description: 'The new version: new units start on it.' })
  rulebook: RulebookModel;
}

@ObjectType({ description: 'One reason a publication was refused.' })
export class RulebookRefusalReason {
  @Field({
    description:
      'A JSON Pointer into `changes` (e.g. /kinds/GRASSROOTS/listening/faceToFacePercent), or basedOn / reason.',
  })
  path: string;
  @Field()
  message: string;
}

@ObjectType({ implements: () => [ErrorResult] })
export class RulebookRefused implements ErrorResult {
  readonly __typename = 'RulebookRefused';
  errorCode = ErrorCode.RULEBOOK_REFUSED;
  message: string;
  @Field(() => [RulebookRefusalReason], { description: 'Every reason at once, not only the first.' })
  reasons: RulebookRefusalReason[];
}

export const rulebookRefused = (reasons: RulebookRefusalReason[]): RulebookRefused =>
  Object.assign(new RulebookRefused(), {
    reasons,
    message: `the publication is refused: ${reasons.length} reason${reasons.length === 1 ? '' : 's'}`,
  });

export const PublishRulebookResult = resultUnion(
  'PublishRulebookResult',
  () => [RulebookPublished, RulebookRefused, VersionConflict] as const,
);
