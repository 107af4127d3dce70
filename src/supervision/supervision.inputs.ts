import { Field, ID, InputType } from '@nestjs/graphql';
import { CommandInput } from '../commands/command-input.js';
import { id, text, value, type InputShape } from '../commands/input-rules.js';
import { FindingKindEnum, LookBackItemEnum, VerdictEnum } from '../common/enums.js';

@InputType()
export class IssueFindingInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => FindingKindEnum)
  kind: string;
  @Field({ description: 'At most 10,000 characters.' })
  note: string;
}
export const ISSUE_FINDING: InputShape = { unitId: id, kind: value, note: text() };

@InputType()
export class ResolveFindingInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => ID)
  findingId: string;
  @Field({ description: "The unit's response to the finding (at most 10,000 characters)." })
  response: string;
}
export const RESOLVE_FINDING: InputShape = { unitId: id, findingId: id, response: text() };

@InputType()
export class RecordLookBackVerdictInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field(() => LookBackItemEnum)
  item: string;
  @Field(() => VerdictEnum)
  verdict: string;
  @Field({ description: 'At most 10,000 characters.' })
  note: string;
}
export const RECORD_LOOKBACK_VERDICT: InputShape = { unitId: id, item: value, verdict: value, note: text() };
