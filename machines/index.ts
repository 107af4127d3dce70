/** The campaign statechart package: the one entry point the service imports (lint-enforced). */
export {
  UNIT_KINDS,
  STUDY_FORMATS,
  OPINION_CHANNELS,
  OPINION_CATEGORIES,
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  VERDICTS,
  REGIONS,
  PHASES,
  STUDY_TOPICS,
  SELF_RATINGS,
  type StudyTopic,
  type SelfRating,
  type UnitKind,
  type StudyFormat,
  type OpinionChannel,
  type OpinionCategory,
  type FindingKind,
  type LookBackItem,
  type Verdict,
  type Region,
  type Phase,
} from './vocabulary.js';
export {
  EVENT_TYPES,
  STAGE_EVENTS,
  EVIDENCE_EVENTS,
  SUPERVISION_EVENTS,
  RULEBOOK_MIGRATED,
  type CampaignEvent,
  type CampaignEventType,
  type StageEventType,
  type EvidenceEventType,
  type SupervisionEventType,
} from './events.js';
export {
  RULESETS,
  type Ruleset,
  type Rulebook,
  type KindRules,
  type StudyRules,
  type ListeningRules,
  type CorrectingRules,
} from './rulebook.js';
export type { SupplementRules, SupplementKindRules } from './rulebook.js';
export { RULEBOOK_V1 } from './rulebook-v1.js';
export { RULEBOOK_V2 } from './rulebook-v2.js';
export { migrateSnapshot, type Migration, type MigrationGap, type HistoryEvent } from './migrate.js';
export { BUILT_IN_RULEBOOKS, builtInRulebook } from './built-in-rulebooks.js';
export { deepFreeze } from './json.js';
export type { CampaignContext, UnitProfile } from './context.js';
export type { Blocker, GateFacts } from './gates/evaluator.js';
export { blockerCodesOf } from './gates/sets.js';
export { createCampaignMachine, machineIdOf, type CampaignMachine } from './campaign.machine.js';
export { statusOf, type StoredSnapshot, type UnitStatusView } from './status.js';
export { initialSnapshot, step, type StepResult, type StepOptions } from './step.js';
export { explain, progress, type TransitionOptionView, type GateProgressView } from './explain.js';
export { renderMermaid } from './mermaid.js';
export { localDate, parseInstant } from './calendar.js';
