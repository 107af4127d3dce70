/** Shared fixtures for the machines/ specs (not exported by index.ts). */
import type { CampaignEvent } from './events.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { leafPathsOf, type StoredSnapshot } from './status.js';
import { initialSnapshot, step, type Step, type StepResult } from './step.js';
import type { UnitKind } from './vocabulary.js';

export const DAY = 86_400_000;
/** 2014-02-01 09:00 in Shanghai (01:00Z): launch time in most specs */
export const T0 = Date.parse('2014-02-01T01:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();
/** the instant `days` (fractional allowed) after T0 */
export const day = (days: number) => iso(T0 + days * DAY);

/** A unit under a rulebook (v1 unless told), stepped by `step` (or another Step with the same signature). */
export class Unit {
  constructor(
    public snapshot: StoredSnapshot,
    readonly rulebook: Rulebook = RULEBOOK_V1,
    readonly run: Step = step,
  ) {}

  try(event: CampaignEvent, options?: { override?: boolean }): StepResult {
    const result = this.run(this.snapshot, event, this.rulebook, options);
    if (result.ok) this.snapshot = result.snapshot;
    return result;
  }

  /** send an event that must be accepted */
  send(event: CampaignEvent, options?: { override?: boolean }): this {
    const result = this.try(event, options);
    if (!result.ok) throw new Error(`${event.type} refused: ${JSON.stringify(result)}`);
    return this;
  }

  get states(): string[] {
    return leafPathsOf(this.snapshot.value);
  }
}

let counter = 0;
export const uid = (prefix: string) => `${prefix}-${++counter}`;

export type StudySessionEvent = Extract<CampaignEvent, { type: 'STUDY_SESSION' }>;

export const session = (format: StudySessionEvent['format'], occurred: number, at = occurred): StudySessionEvent => ({
  type: 'STUDY_SESSION',
  format,
  occurredAt: day(occurred),
  at: day(at),
  hours: 3,
  attendees: 12,
});

export const lecture = (lecturer: string, occurred: number, at = occurred): CampaignEvent => ({
  type: 'PARTY_LECTURE',
  lecturer,
  occurredAt: day(occurred),
  at: day(at),
});

export const film = (occurred: number, at = occurred): CampaignEvent => ({
  type: 'FILM_SCREENING',
  title: '焦裕禄',
  occurredAt: day(occurred),
  at: day(at),
});

export const opinion = (
  occurred: number,
  options: { channel?: string; category?: string; routed?: boolean; id?: string; at?: number } = {},
): CampaignEvent =>
  ({
    type: 'OPINION_RECORDED',
    opinionId: options.id ?? uid('op'),
    channel: options.channel ?? 'FACE_TO_FACE',
    category: options.category ?? 'FORMALISM',
    collectedByUnitId: options.routed ? 'someone-else' : 'me',
    targetUnitId: 'me',
    occurredAt: day(occurred),
    at: day(options.at ?? occurred),
  }) as CampaignEvent;

export const deliberation = (occurred: number, at = occurred, opinionsDiscussed = 5): CampaignEvent => ({
  type: 'COLLECTIVE_DELIBERATION',
  occurredAt: day(occurred),
  at: day(at),
  opinionsDiscussed,
});

export const problem = (
  at: number,
  options: { fixAtOnce?: boolean; dueAt?: number | null; id?: string; category?: string } = {},
): CampaignEvent => ({
  type: 'PROBLEM_IDENTIFIED',
  problemId: options.id ?? uid('pb'),
  category: options.category ?? '庸懒散拖',
  fixAtOnce: options.fixAtOnce ?? false,
  dueAt: options.dueAt == null ? null : day(options.dueAt),
  at: day(at),
});

/** A unit of `kind`, plan filed and launched at T0. */
export function launchedUnit(kind: UnitKind, leaderCount = 2, rulebook: Rulebook = RULEBOOK_V1): Unit {
  return new Unit(initialSnapshot({ kind, leaderCount }, rulebook), rulebook)
    .send({ type: 'FILE_STUDY_PLAN', topics: ['党章', '系列讲话'], plannedDays: 5, at: day(-1) })
    .send({ type: 'LAUNCH', parentLaunched: true, at: day(0) });
}

/** Evidence that meets the study gate content of each kind, dated from day `from` (one per day). */
export function studyEvidence(kind: UnitKind, leaderCount: number, from: number): CampaignEvent[] {
  const d = (i: number) => from + i * 0.5;
  switch (kind) {
    case 'LEADERSHIP_BODY':
      return [
        ...[0, 1, 2, 3, 4].map((i) => session('CONCENTRATED', from + i)),
        session('THEMATIC_SEMINAR', from + 0.2),
        session('THEMATIC_SEMINAR', from + 1.2),
        ...Array.from({ length: leaderCount }, (_, i) => lecture(`leader-${i}`, from + 0.3)),
      ];
    case 'DIRECT_UNIT':
    case 'TOWNSHIP_STREET':
      return [session('CONCENTRATED', d(0)), session('CONCENTRATED', from + 1), session('GROUP_DISCUSSION', d(1))];
    case 'WINDOW_SERVICE':
      return [
        session('CONCENTRATED', d(0)),
        session('CONCENTRATED', from + 1),
        session('GROUP_DISCUSSION', d(1)),
        session('ETHICS_TRAINING', d(1)),
      ];
    case 'GRASSROOTS':
      return [session('GROUP_DISCUSSION', d(0)), film(d(0)), lecture('secretary', d(1))];
    case 'NON_PUBLIC_SOCIAL':
      return [session('SELF_STUDY', d(0))];
  }
}

export const MIN_OPINIONS: Record<UnitKind, number> = {
  LEADERSHIP_BODY: 20,
  DIRECT_UNIT: 10,
  TOWNSHIP_STREET: 10,
  WINDOW_SERVICE: 10,
  GRASSROOTS: 5,
  NON_PUBLIC_SOCIAL: 3,
};

/** Opinions (all face-to-face, four-styles) enough for the listening gate, plus a deliberation after them. */
export function listeningEvidence(kind: UnitKind, from: number): CampaignEvent[] {
  return [
    ...Array.from({ length: MIN_OPINIONS[kind] }, () => opinion(from)),
    deliberation(from + 0.1, from + 0.1, MIN_OPINIONS[kind]),
  ];
}

export const correctingEvidence = (from: number, rulebook: Rulebook = RULEBOOK_V1): CampaignEvent[] => [
  problem(from, rulebook.ruleset >= 2 ? { category: 'OTHER' } : {}),
];

// ── rulebook v2 ──────────────────────────────────────────────────────────────────────────────────────────────
export const activity = (name: string, occurred: number, at = occurred): CampaignEvent => ({
  type: 'PROVINCE_ACTIVITY',
  activity: name,
  occurredAt: day(occurred),
  at: day(at),
});

export const topicSession = (
  format: StudySessionEvent['format'],
  occurred: number,
  topics: string[],
  hours = 3,
): CampaignEvent => ({ ...session(format, occurred), hours, topics }) as CampaignEvent;

export const selfAssessment = (at: number): CampaignEvent => ({
  type: 'SELF_ASSESSMENT_FILED',
  items: (['STUDY', 'LISTENING', 'COMBINED', 'STYLE'] as const).map((item) => ({
    item,
    rating: 'MET' as const,
    text: `${item} 自评`,
  })),
  at: day(at),
});

/** Evidence that meets a kind's study content under `rulebook` (v1: `studyEvidence`; v2 adds topics, film, activities). */
export function studyEvidenceUnder(
  rulebook: Rulebook,
  kind: UnitKind,
  leaderCount: number,
  from: number,
): CampaignEvent[] {
  const base = studyEvidence(kind, leaderCount, from);
  const rules = rulebook.supplement?.kinds[kind];
  if (!rules) return base;
  const topics = rules.requiredTopics.filter((t) => t !== 'ETHICS_AND_CONDUCT');
  const extra: CampaignEvent[] = [];
  if (topics.length) extra.push(topicSession('SELF_STUDY', from + 0.1, topics));
  if (rulebook.kinds[kind].study.filmScreenings > 0 && kind !== 'GRASSROOTS') extra.push(film(from + 0.2));
  rules.requiredActivities.forEach((name, i) => extra.push(activity(name, from + 0.1 * (i + 1))));
  return [...base, ...extra].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
