/**
 * Which gates hold back which stage event, in which phase — per ruleset (generation of gate code). The machine's
 * guards name these sets; `step` and `explain` find the same set for an event with `gateSetNameOf`.
 */
import type { CampaignContext } from '../context.js';
import { REGION_COMPLETION_EVENT, type StageEventType } from '../events.js';
import type { Rulebook, Ruleset } from '../rulebook.js';
import { REGIONS, type Phase, type Region } from '../vocabulary.js';
import { CORRECTING_CONTENT, FIX_AT_ONCE_RECTIFIED, NONE_OVERDUE, PROBLEM_IDENTIFIED } from './correcting.js';
import { evaluateGates, type Evaluation, type GateDefinition, type GateFacts, type GateSetName } from './evaluator.js';
import { PARENT_LAUNCHED, STUDY_PLAN_FILED } from './launch.js';
import {
  COLLECTIVE_DELIBERATION,
  FACE_TO_FACE_SHARE,
  FOUR_STYLES_SHARE,
  LISTENING_CONTENT,
  OPINIONS,
  ROUTED_OPINIONS_CLAIMED,
} from './listening.js';
import { ALL_VERDICTS, NO_OPEN_FINDING, REWORK_DWELL, STAGE_DWELL } from './stage.js';
import {
  ANY_STUDY_SESSION,
  CONCENTRATED_DAYS,
  ETHICS_TRAINING,
  FILM,
  PARTY_LECTURE,
  STUDY_CONTENT,
  STUDY_DWELL,
  THEMATIC_SEMINARS,
} from './study.js';
import {
  GROUP_DISCUSSION_V2,
  LECTURERS_V2,
  PROVINCE_ACTIVITIES,
  REQUIRED_TOPICS,
  SELF_ASSESSMENT,
} from './supplement.js';

export interface RulesetGates {
  /** every context gate of the ruleset, in the order dashboards list them */
  readonly all: readonly GateDefinition[];
  readonly sets: Readonly<Record<GateSetName, readonly GateDefinition[]>>;
  /** what a unit's own evidence must show (no dwell, no supervision): the gaps a migration to this ruleset reports */
  readonly evidence: readonly GateDefinition[];
}

const RULESET_1: RulesetGates = {
  all: [
    STUDY_PLAN_FILED,
    PARENT_LAUNCHED,
    ...STUDY_CONTENT,
    STUDY_DWELL,
    OPINIONS,
    FACE_TO_FACE_SHARE,
    FOUR_STYLES_SHARE,
    ROUTED_OPINIONS_CLAIMED,
    COLLECTIVE_DELIBERATION,
    PROBLEM_IDENTIFIED,
    FIX_AT_ONCE_RECTIFIED,
    NONE_OVERDUE,
    STAGE_DWELL,
    REWORK_DWELL,
    NO_OPEN_FINDING,
    ALL_VERDICTS,
  ],
  sets: {
    launch: [STUDY_PLAN_FILED, PARENT_LAUNCHED],
    'stage1.study': [...STUDY_CONTENT, STUDY_DWELL],
    'stage1.listening': LISTENING_CONTENT,
    'stage1.correcting': CORRECTING_CONTENT,
    'stage1.requestLookBack': [STAGE_DWELL, NO_OPEN_FINDING],
    'reforging.study': [...STUDY_CONTENT, REWORK_DWELL],
    'reforging.listening': [...LISTENING_CONTENT, REWORK_DWELL],
    'reforging.correcting': [...CORRECTING_CONTENT, REWORK_DWELL],
    'reforging.requestLookBack': [REWORK_DWELL, NO_OPEN_FINDING],
    conclude: [ALL_VERDICTS],
  },
  evidence: [...STUDY_CONTENT, ...LISTENING_CONTENT, ...CORRECTING_CONTENT],
};

/** Ruleset 2's study content: ruleset 1's with the loopholes closed, plus required topics and prescribed activities. */
const STUDY_CONTENT_2: readonly GateDefinition[] = [
  CONCENTRATED_DAYS,
  THEMATIC_SEMINARS,
  LECTURERS_V2,
  GROUP_DISCUSSION_V2,
  ETHICS_TRAINING,
  FILM,
  PARTY_LECTURE,
  ANY_STUDY_SESSION,
  REQUIRED_TOPICS,
  PROVINCE_ACTIVITIES,
];

/** What REQUEST_LOOKBACK re-checks under ruleset 2: every region's gates, whatever arrived after a region was met. */
const EVERY_REGION_2: readonly GateDefinition[] = [...STUDY_CONTENT_2, ...LISTENING_CONTENT, ...CORRECTING_CONTENT];

const RULESET_2: RulesetGates = {
  all: [
    STUDY_PLAN_FILED,
    PARENT_LAUNCHED,
    ...STUDY_CONTENT_2,
    STUDY_DWELL,
    ...LISTENING_CONTENT,
    ...CORRECTING_CONTENT,
    STAGE_DWELL,
    REWORK_DWELL,
    SELF_ASSESSMENT,
    NO_OPEN_FINDING,
    ALL_VERDICTS,
  ],
  sets: {
    launch: [STUDY_PLAN_FILED, PARENT_LAUNCHED],
    'stage1.study': [...STUDY_CONTENT_2, STUDY_DWELL],
    'stage1.listening': LISTENING_CONTENT,
    'stage1.correcting': CORRECTING_CONTENT,
    'stage1.requestLookBack': [...EVERY_REGION_2, STAGE_DWELL, SELF_ASSESSMENT, NO_OPEN_FINDING],
    'reforging.study': [...STUDY_CONTENT_2, REWORK_DWELL],
    'reforging.listening': [...LISTENING_CONTENT, REWORK_DWELL],
    'reforging.correcting': [...CORRECTING_CONTENT, REWORK_DWELL],
    'reforging.requestLookBack': [...EVERY_REGION_2, REWORK_DWELL, SELF_ASSESSMENT, NO_OPEN_FINDING],
    conclude: [ALL_VERDICTS, NO_OPEN_FINDING],
  },
  evidence: [...EVERY_REGION_2, SELF_ASSESSMENT],
};

const GATES_BY_RULESET: Readonly<Record<Ruleset, RulesetGates>> = { 1: RULESET_1, 2: RULESET_2 };

export function gatesOf(rulebook: Rulebook): RulesetGates {
  const gates = GATES_BY_RULESET[rulebook.ruleset];
  if (!gates)
    throw new Error(
      `rulebook v${rulebook.version} asks for ruleset ${JSON.stringify(rulebook.ruleset)}, which this build does not have.`,
    );
  return gates;
}

const REGION_OF_COMPLETION = Object.fromEntries(
  REGIONS.map((region) => [REGION_COMPLETION_EVENT[region], region]),
) as Partial<Record<StageEventType, Region>>;

/** The gate set that judges a stage event in a phase (a re-forge has its own; every other phase uses stage 1's). */
export function gateSetNameOf(phase: Phase, type: StageEventType): GateSetName {
  if (type === 'LAUNCH') return 'launch';
  if (type === 'CONCLUDE_LOOKBACK') return 'conclude';
  const stage = phase === 'reforging' ? 'reforging' : 'stage1';
  if (type === 'REQUEST_LOOKBACK') return `${stage}.requestLookBack`;
  return `${stage}.${REGION_OF_COMPLETION[type] as Region}`;
}

/**
 * Every code a blocker can carry under a rulebook: its ruleset's gates, the structural REGIONS_NOT_MET read off
 * the configuration, and NOT_ALLOWED_IN_STATE, which `explain` lists for an event the state does not handle.
 */
export function blockerCodesOf(rulebook: Rulebook): string[] {
  return [...new Set([...gatesOf(rulebook).all.map((gate) => gate.code), 'REGIONS_NOT_MET', 'NOT_ALLOWED_IN_STATE'])];
}

export function evaluateGateSet(
  name: GateSetName,
  context: CampaignContext,
  atMs: number,
  rulebook: Rulebook,
  facts: GateFacts = {},
): Evaluation {
  return evaluateGates(gatesOf(rulebook).sets[name], context, atMs, rulebook, facts);
}
