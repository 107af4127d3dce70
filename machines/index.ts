/** The campaign statechart package: the one entry point the service imports. */
export {
  UNIT_KINDS,
  STUDY_FORMATS,
  OPINION_CHANNELS,
  OPINION_CATEGORIES,
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  VERDICTS,
  REGIONS,
  STAGE_EVENTS,
  PHASES,
  type UnitKind,
  type StudyFormat,
  type OpinionChannel,
  type OpinionCategory,
  type FindingKind,
  type LookBackItem,
  type Verdict,
  type Region,
  type StageEventType,
  type Phase,
} from './vocabulary.js';
export { RULEBOOKS, CURRENT_RULEBOOK_VERSION, RULEBOOK_V1, rulebookOf, type Rulebook, type KindRules } from './rulebook.js';
export type { CampaignContext, UnitProfile } from './context.js';
export type { CampaignEvent, CampaignEventType } from './events.js';
export * from './gates.js';
export { createCampaignMachine, machineIdOf, type CampaignMachine } from './campaign.machine.js';
export { initialSnapshot, step, statusOf, type StoredSnapshot, type UnitStatusView, type StepResult, type StepOptions } from './step.js';
export { explain, progress, type TransitionOptionView, type GateProgressView } from './explain.js';
export { renderMermaid } from './mermaid.js';
export { localDate, parseInstant } from './calendar.js';
