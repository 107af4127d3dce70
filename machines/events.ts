import type {
  FindingKind,
  LookBackItem,
  OpinionCategory,
  OpinionChannel,
  StudyFormat,
  Verdict,
} from './vocabulary.js';

/** Every event carries `at`, the ISO instant the server stamped it with: the machine's only clock. */
export type CampaignEvent = { at: string } & (
  | { type: 'FILE_STUDY_PLAN'; topics: string[]; plannedDays: number }
  | { type: 'LAUNCH'; parentLaunched: boolean }
  | { type: 'COMPLETE_STUDY' }
  | { type: 'COMPLETE_LISTENING' }
  | { type: 'COMPLETE_CORRECTING' }
  | { type: 'REQUEST_LOOKBACK' }
  | { type: 'CONCLUDE_LOOKBACK' }
  | { type: 'STUDY_SESSION'; format: StudyFormat; occurredAt: string; hours: number; attendees: number; topic?: string | null }
  | { type: 'PARTY_LECTURE'; lecturer: string; occurredAt: string; audienceUnitId?: string | null }
  | { type: 'FILM_SCREENING'; title: string; occurredAt: string }
  | {
      type: 'OPINION_RECORDED';
      opinionId: string;
      channel: OpinionChannel;
      category: OpinionCategory;
      collectedByUnitId: string;
      targetUnitId: string;
      occurredAt: string;
    }
  | { type: 'OPINION_CLAIMED'; opinionId: string }
  | { type: 'COLLECTIVE_DELIBERATION'; occurredAt: string; opinionsDiscussed: number }
  | {
      type: 'PROBLEM_IDENTIFIED';
      problemId: string;
      category: string;
      fixAtOnce: boolean;
      dueAt?: string | null;
      sourceOpinionId?: string | null;
    }
  | { type: 'PROBLEM_RECTIFIED'; problemId: string; occurredAt: string }
  | { type: 'FINDING_ISSUED'; findingId: string; kind: FindingKind }
  | { type: 'FINDING_RESOLVED'; findingId: string }
  | { type: 'LOOKBACK_VERDICT'; item: LookBackItem; verdict: Verdict }
);

export type CampaignEventType = CampaignEvent['type'];

/**
 * What the machine itself receives: the caller's event plus what `step` already worked out — the parsed
 * instants (so guards and actions never parse twice) and the admin override flag. Never stored.
 */
export type MachineEvent = CampaignEvent & {
  readonly atMs?: number;
  readonly occurredAtMs?: number;
  readonly dueAtMs?: number | null;
  readonly override?: boolean;
};

export const EVIDENCE_EVENTS = [
  'STUDY_SESSION',
  'PARTY_LECTURE',
  'FILM_SCREENING',
  'OPINION_RECORDED',
  'OPINION_CLAIMED',
  'COLLECTIVE_DELIBERATION',
  'PROBLEM_IDENTIFIED',
  'PROBLEM_RECTIFIED',
] as const;

export const FINDING_EVENTS = ['FINDING_ISSUED', 'FINDING_RESOLVED'] as const;
