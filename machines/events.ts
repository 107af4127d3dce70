/**
 * The one list of event types, grouped by who sends them; every other list of event types (the machine's
 * handlers, input validation, the service's result unions) is derived from these arrays.
 */
import type { Evaluation, GateSetName } from './gates/evaluator.js';
import type {
  FindingKind,
  LookBackItem,
  OpinionCategory,
  OpinionChannel,
  Region,
  SelfRating,
  StudyFormat,
  StudyTopic,
  Verdict,
} from './vocabulary.js';

/** Asking to move on: the only events gates can block. */
export const STAGE_EVENTS = [
  'LAUNCH',
  'COMPLETE_STUDY',
  'COMPLETE_LISTENING',
  'COMPLETE_CORRECTING',
  'REQUEST_LOOKBACK',
  'CONCLUDE_LOOKBACK',
] as const;

/** What unit officers record. The study plan is filed before LAUNCH; the rest while the campaign runs. */
export const EVIDENCE_EVENTS = [
  'FILE_STUDY_PLAN',
  'STUDY_SESSION',
  'PARTY_LECTURE',
  'FILM_SCREENING',
  'OPINION_RECORDED',
  'OPINION_CLAIMED',
  'COLLECTIVE_DELIBERATION',
  'PROBLEM_IDENTIFIED',
  'PROBLEM_RECTIFIED',
  'PROVINCE_ACTIVITY',
  'SELF_ASSESSMENT_FILED',
] as const;

/** The evidence ruleset 1 knows: its machines handle exactly these (the two later ones answer NOT_ALLOWED_IN_STATE). */
export const EVIDENCE_EVENTS_V1 = EVIDENCE_EVENTS.slice(0, 9) as readonly EvidenceEventType[];

/**
 * Moving a unit to another rulebook: an event of its history, but not one the machine steps (see migrate.ts); the
 * service folds it with `migrateSnapshot`.
 */
export const RULEBOOK_MIGRATED = 'RULEBOOK_MIGRATED' as const;

/** What supervisors record. */
export const SUPERVISION_EVENTS = ['FINDING_ISSUED', 'FINDING_RESOLVED', 'LOOKBACK_VERDICT'] as const;

export const EVENT_TYPES = [...STAGE_EVENTS, ...EVIDENCE_EVENTS, ...SUPERVISION_EVENTS] as const;

export type StageEventType = (typeof STAGE_EVENTS)[number];
export type EvidenceEventType = (typeof EVIDENCE_EVENTS)[number];
export type SupervisionEventType = (typeof SUPERVISION_EVENTS)[number];
export type CampaignEventType = (typeof EVENT_TYPES)[number];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const STAGE_EVENT_SET: ReadonlySet<string> = new Set(STAGE_EVENTS);

export const isCampaignEventType = (type: unknown): type is CampaignEventType =>
  typeof type === 'string' && EVENT_TYPE_SET.has(type);
export const isStageEventType = (type: unknown): type is StageEventType =>
  typeof type === 'string' && STAGE_EVENT_SET.has(type);

/** The completion event of each region. */
export const REGION_COMPLETION_EVENT = {
  study: 'COMPLETE_STUDY',
  listening: 'COMPLETE_LISTENING',
  correcting: 'COMPLETE_CORRECTING',
} as const satisfies Record<Region, StageEventType>;

/** The fields of each event type besides `type` and `at`. A type of the lists above without an entry here does not compile. */
interface PayloadByType {
  LAUNCH: { parentLaunched: boolean };
  COMPLETE_STUDY: object;
  COMPLETE_LISTENING: object;
  COMPLETE_CORRECTING: object;
  REQUEST_LOOKBACK: object;
  CONCLUDE_LOOKBACK: object;
  FILE_STUDY_PLAN: { topics: string[]; plannedDays: number };
  STUDY_SESSION: {
    format: StudyFormat;
    occurredAt: string;
    hours: number;
    attendees: number;
    topic?: string | null;
    topics?: StudyTopic[] | null;
  };
  PARTY_LECTURE: { lecturer: string; occurredAt: string; audienceUnitId?: string | null; topics?: StudyTopic[] | null };
  FILM_SCREENING: { title: string; occurredAt: string };
  OPINION_RECORDED: {
    opinionId: string;
    channel: OpinionChannel;
    category: OpinionCategory;
    collectedByUnitId: string;
    targetUnitId: string;
    occurredAt: string;
  };
  OPINION_CLAIMED: { opinionId: string };
  COLLECTIVE_DELIBERATION: { occurredAt: string; opinionsDiscussed: number };
  PROBLEM_IDENTIFIED: {
    problemId: string;
    category: string;
    fixAtOnce: boolean;
    dueAt?: string | null;
    sourceOpinionId?: string | null;
  };
  PROBLEM_RECTIFIED: { problemId: string; occurredAt: string };
  FINDING_ISSUED: { findingId: string; kind: FindingKind };
  FINDING_RESOLVED: { findingId: string };
  LOOKBACK_VERDICT: { item: LookBackItem; verdict: Verdict };
  PROVINCE_ACTIVITY: { activity: string; occurredAt: string; note?: string | null };
  SELF_ASSESSMENT_FILED: { items: Array<{ item: LookBackItem; rating: SelfRating; text: string }> };
}

/** Every event carries `at`, the ISO instant the server stamped it with: the machine's only clock. */
export type CampaignEvent = { [T in CampaignEventType]: { type: T; at: string } & PayloadByType[T] }[CampaignEventType];

/**
 * Where a stage event's gate guard leaves its evaluation, so that `step` explains a refusal with the very
 * evaluation the machine refused on (one evaluation per step). Scratch space of one step; never stored.
 */
export type GateLog = Partial<Record<GateSetName, Evaluation>>;

/**
 * What the machine itself receives: the caller's event plus what `step` already worked out — the parsed
 * instants (so guards and actions never parse twice), the admin override flag and, for a stage event, the
 * gate log. Never stored.
 */
export type MachineEvent = CampaignEvent & {
  readonly atMs?: number;
  readonly occurredAtMs?: number;
  readonly dueAtMs?: number | null;
  readonly override?: boolean;
  readonly gateLog?: GateLog;
};
