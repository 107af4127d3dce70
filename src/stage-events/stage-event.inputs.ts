import { Field, ID, InputType } from '@nestjs/graphql';
import { CommandInput } from '../commands/command-input.js';
import { id, label, value, type InputShape } from '../commands/input-rules.js';

const EVENTS = 'LAUNCH COMPLETE_STUDY COMPLETE_LISTENING COMPLETE_CORRECTING REQUEST_LOOKBACK CONCLUDE_LOOKBACK';

@InputType()
export class SendEventInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: EVENTS })
  event: string;
  @Field(() => String, { nullable: true, description: 'Why (at most 2,000 characters); kept in the history.' })
  reason?: string | null;
}

@InputType()
export class OverrideTransitionInput extends CommandInput {
  @Field(() => ID)
  unitId: string;
  @Field({ description: EVENTS })
  event: string;
  @Field({
    description:
      'Mandatory (at most 2,000 characters): why the gates are overridden. Kept, flagged, in the history forever.',
  })
  reason: string;
}

/** What a stage event's payload keeps: the unit, the event, the reason (normalised with the meta fields). */
export const STAGE_EVENT: InputShape = { unitId: id, event: label(40), reason: value };

@InputType()
export class SendEventToSubtreeInput {
  @Field(() => ID)
  rootId: string;
  @Field({ description: EVENTS })
  event: string;
  @Field(() => [String], { nullable: true, description: 'Only units of these kinds (default: all).' })
  kinds?: string[] | null;
  @Field(() => String, { nullable: true, description: "Why (at most 2,000 characters); kept in each unit's history." })
  reason?: string | null;
}

/** Each unit of a bulk send is its own command: its payload keeps the unit, the event, the reason and the bulk's root. */
export const BULK_STAGE_EVENT: InputShape = { unitId: id, event: label(40), reason: value, bulkRootId: id };
