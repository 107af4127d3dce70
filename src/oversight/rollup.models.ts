import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UnitKindEnum, type UnitKind } from '../units/unit.model.js';
import { Connection, PageArgs } from '../common/pagination.js';
import type { Counters } from './counters.js';

@ObjectType()
export class PhaseCount {
  @Field({ description: 'registered | stage1 | lookBack | reforging | stage1Complete' })
  phase: string;
  @Field(() => Int)
  count: number;
}

@ObjectType()
export class StateCount {
  @Field({ description: 'A region state while in stage1 or reforging: study.active, study.met, listening.active, …' })
  state: string;
  @Field(() => Int)
  count: number;
}

@ObjectType({ description: "Uneven progress (进展不平衡) among a unit's children." })
export class Imbalance {
  @Field(() => Float, {
    description: 'The highest child progress index minus the lowest (0 with fewer than two children).',
  })
  spread: number;
  @Field({ description: 'The spread is at least the uneven threshold (default 0.25).' })
  uneven: boolean;
  @Field(() => [ID], {
    description:
      "Children whose progress index is below their siblings' mean by at least the lag threshold (default 0.15), lowest first.",
  })
  laggingChildren: string[];
}

/** The rollup of a unit's subtree (itself and every descendant), exact as of the read. */
@ObjectType('Rollup')
export class RollupModel {
  @Field(() => ID)
  unitId: string;
  @Field(() => Int, { description: 'Units in the subtree, the unit itself included.' })
  units: number;
  @Field(() => Int, { description: 'Units that have launched (entered stage 1), whatever they are in now.' })
  launched: number;
  @Field(() => Float, {
    description:
      'Progress points / (6 × units), 0…1: registered 0; stage1 or reforging 1 + met regions; lookBack 5; stage1Complete 6.',
  })
  progressIndex: number;
  @Field(() => Float, { description: 'Share of the units in stage1Complete, 0…1.' })
  completedShare: number;
  @Field(() => [PhaseCount], { description: 'Units per phase, every phase listed.' })
  byPhase: PhaseCount[];
  @Field(() => [StateCount], { description: 'Units per region state, counted while in stage1 or reforging.' })
  byRegionState: StateCount[];
  @Field(() => Int, { description: 'Open supervision findings.' })
  openFindings: number;
  @Field(() => Int, { description: 'Units with at least one open finding.' })
  unitsWithOpenFindings: number;
  @Field(() => Int, { description: 'Re-forges begun (look-backs that ended with a FAIL).' })
  reforgesBegun: number;

  counters: Counters;
}

@ObjectType('RollupConnection')
export class RollupConnection extends Connection(RollupModel, 'Rollup') {}

@ArgsType()
export class LaggardsArgs extends PageArgs {
  @Field(() => ID)
  underId: string;
  @Field(() => Int, { nullable: true, description: 'Idle for at least this many days (default 7).' })
  idleDays?: number | null;
  @Field(() => UnitKindEnum, { nullable: true })
  kind?: UnitKind | null;
}

@ArgsType()
export class RushingArgs extends PageArgs {
  @Field(() => ID)
  underId: string;
  @Field(() => Int, {
    nullable: true,
    description: 'The window: the last this many campaign days, today included (default 7).',
  })
  sinceDays?: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'At least this many refused stage events in the window (default 3).',
  })
  minAttempts?: number | null;
}

export const ReportFormatEnum = { MARKDOWN: 'MARKDOWN', CSV: 'CSV' } as const;
registerEnumType(ReportFormatEnum, { name: 'ReportFormat', description: 'MARKDOWN for people, CSV for spreadsheets.' });
