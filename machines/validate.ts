/**
 * Input validation: every field of an event checked against the unit's context before the machine sees it, each
 * refusal naming its field. Instants are parsed here once; the machine reads the parsed epoch ms.
 */
import { parseInstant } from './calendar.js';
import type { CampaignContext } from './context.js';
import type { CampaignEvent, MachineEvent } from './events.js';
import { categoryCodeOf } from './evidence-v2.js';
import type { Rulebook } from './rulebook.js';
import {
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  OPINION_CATEGORIES,
  OPINION_CHANNELS,
  SELF_RATINGS,
  STUDY_FORMATS,
  STUDY_FORMATS_V1,
  STUDY_TOPICS,
  VERDICTS,
} from './vocabulary.js';

export class InvalidInput extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInput(`${field} must be a non-empty string.`, field);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T))
    throw new InvalidInput(`${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`, field);
  return value as T;
}

function integerAtLeast(value: unknown, min: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidInput(`${field} must be an integer ≥ ${min}; got ${JSON.stringify(value)}.`, field);
  }
  return value;
}

function instant(value: unknown, field: string): number {
  const ms = parseInstant(value);
  if (ms === null)
    throw new InvalidInput(
      `${field} must be an ISO-8601 instant with a zone, e.g. 2014-03-01T09:00:00Z; got ${JSON.stringify(value)}.`,
      field,
    );
  return ms;
}

/** occurredAt may be neither after the event's `at` (the future) nor before the unit's launch (back-dating). */
function occurredAt(value: unknown, atMs: number, context: CampaignContext): number {
  const ms = instant(value, 'occurredAt');
  if (ms > atMs)
    throw new InvalidInput(
      `occurredAt (${value}) is after the time of recording: evidence cannot come from the future.`,
      'occurredAt',
    );
  if (context.launchedAt === null || ms < context.launchedAt) {
    throw new InvalidInput(
      `occurredAt (${value}) is before the unit's launch (${context.launchedAt === null ? 'not launched' : new Date(context.launchedAt).toISOString()}): no back-dating.`,
      'occurredAt',
    );
  }
  return ms;
}

/**
 * Ruleset 2: topics from the closed list (ethics and conduct only from an ethics training), a problem category that
 * is the kind's fix-at-once list or OTHER.
 */
function topicsOf(value: unknown, format: string | null): void {
  if (value == null) return;
  if (!Array.isArray(value)) throw new InvalidInput('topics must be a list.', 'topics');
  value.forEach((topic, i) => oneOf(topic, STUDY_TOPICS, `topics[${i}]`));
  if (format !== 'ETHICS_TRAINING' && value.includes('ETHICS_AND_CONDUCT')) {
    throw new InvalidInput(
      'ETHICS_AND_CONDUCT is studied in an ETHICS_TRAINING session only: it never stands in for the required content.',
      'topics',
    );
  }
}

function checkSupplement(event: CampaignEvent, context: CampaignContext, rulebook: Rulebook): void {
  const rules = rulebook.supplement;
  if (!rules) return;
  const e = event as CampaignEvent & Record<string, unknown>;
  switch (event.type) {
    case 'STUDY_SESSION':
      return topicsOf(e.topics, event.format);
    case 'PARTY_LECTURE':
      return topicsOf(e.topics, null);
    case 'PROBLEM_IDENTIFIED': {
      const code = categoryCodeOf(event.category, rulebook);
      const allowed = rules.kinds[context.unit.kind].fixAtOnceCategories;
      if (event.category.trim() !== 'OTHER' && (code === null || !allowed.includes(code))) {
        throw new InvalidInput(
          `category must be one of this kind's fix-at-once categories (${allowed.join(', ')}) or OTHER; got ${JSON.stringify(event.category)}.`,
          'category',
        );
      }
      return;
    }
    case 'PROVINCE_ACTIVITY':
      oneOf(event.activity, rules.activities, 'activity');
      return;
    default:
      return;
  }
}

/** Checks an event's fields against the context and the rulebook; returns the event the machine receives (or throws InvalidInput). */
export function validate(
  event: CampaignEvent,
  context: CampaignContext,
  override: boolean,
  rulebook: Rulebook,
): MachineEvent {
  const machineEvent = validateFields(event, context, override, rulebook.ruleset >= 2);
  checkSupplement(event, context, rulebook);
  return machineEvent;
}

function validateFields(
  event: CampaignEvent,
  context: CampaignContext,
  override: boolean,
  supplement: boolean,
): MachineEvent {
  const atMs = instant(event.at, 'at');
  const e = event as CampaignEvent & Record<string, unknown>;
  switch (event.type) {
    case 'FILE_STUDY_PLAN': {
      if (!Array.isArray(event.topics) || event.topics.length === 0)
        throw new InvalidInput('topics must list at least one topic.', 'topics');
      event.topics.forEach((topic, i) => nonEmptyString(topic, `topics[${i}]`));
      integerAtLeast(event.plannedDays, 1, 'plannedDays');
      return { ...event, atMs };
    }
    case 'LAUNCH':
      if (typeof event.parentLaunched !== 'boolean')
        throw new InvalidInput('parentLaunched must be a boolean.', 'parentLaunched');
      return { ...event, atMs, override, gateLog: {} };
    case 'COMPLETE_STUDY':
    case 'COMPLETE_LISTENING':
    case 'COMPLETE_CORRECTING':
    case 'REQUEST_LOOKBACK':
    case 'CONCLUDE_LOOKBACK':
      return { ...event, atMs, override, gateLog: {} };
    case 'STUDY_SESSION': {
      oneOf(event.format, supplement ? STUDY_FORMATS : STUDY_FORMATS_V1, 'format');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      if (typeof event.hours !== 'number' || !Number.isFinite(event.hours) || event.hours <= 0 || event.hours > 24) {
        throw new InvalidInput(`hours must be a number in (0, 24]; got ${JSON.stringify(event.hours)}.`, 'hours');
      }
      integerAtLeast(event.attendees, 1, 'attendees');
      if (e.topic != null && typeof e.topic !== 'string')
        throw new InvalidInput('topic must be a string or null.', 'topic');
      return { ...event, atMs, occurredAtMs };
    }
    case 'PARTY_LECTURE': {
      nonEmptyString(event.lecturer, 'lecturer');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      return { ...event, atMs, occurredAtMs };
    }
    case 'FILM_SCREENING': {
      nonEmptyString(event.title, 'title');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      return { ...event, atMs, occurredAtMs };
    }
    case 'OPINION_RECORDED': {
      nonEmptyString(event.opinionId, 'opinionId');
      oneOf(event.channel, OPINION_CHANNELS, 'channel');
      oneOf(event.category, OPINION_CATEGORIES, 'category');
      nonEmptyString(event.collectedByUnitId, 'collectedByUnitId');
      nonEmptyString(event.targetUnitId, 'targetUnitId');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      if (context.unclaimedOpinionIds.includes(event.opinionId)) {
        throw new InvalidInput(`Opinion ${event.opinionId} is already recorded and awaiting its claim.`, 'opinionId');
      }
      return { ...event, atMs, occurredAtMs };
    }
    case 'OPINION_CLAIMED':
      nonEmptyString(event.opinionId, 'opinionId');
      if (!context.unclaimedOpinionIds.includes(event.opinionId)) {
        throw new InvalidInput(
          `Opinion ${event.opinionId} is not an unclaimed opinion routed to this unit.`,
          'opinionId',
        );
      }
      return { ...event, atMs };
    case 'COLLECTIVE_DELIBERATION': {
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      integerAtLeast(event.opinionsDiscussed, 0, 'opinionsDiscussed');
      return { ...event, atMs, occurredAtMs };
    }
    case 'PROBLEM_IDENTIFIED': {
      nonEmptyString(event.problemId, 'problemId');
      nonEmptyString(event.category, 'category');
      if (typeof event.fixAtOnce !== 'boolean') throw new InvalidInput('fixAtOnce must be a boolean.', 'fixAtOnce');
      const dueAtMs = event.dueAt == null ? null : instant(event.dueAt, 'dueAt');
      if (e.sourceOpinionId != null && typeof e.sourceOpinionId !== 'string')
        throw new InvalidInput('sourceOpinionId must be a string or null.', 'sourceOpinionId');
      if (Object.hasOwn(context.openProblems, event.problemId))
        throw new InvalidInput(`Problem ${event.problemId} is already open.`, 'problemId');
      return { ...event, atMs, dueAtMs };
    }
    case 'PROBLEM_RECTIFIED': {
      nonEmptyString(event.problemId, 'problemId');
      if (!Object.hasOwn(context.openProblems, event.problemId))
        throw new InvalidInput(`Problem ${event.problemId} is not an open problem of this unit.`, 'problemId');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      return { ...event, atMs, occurredAtMs };
    }
    case 'FINDING_ISSUED':
      nonEmptyString(event.findingId, 'findingId');
      oneOf(event.kind, FINDING_KINDS, 'kind');
      if (context.openFindingIds.includes(event.findingId))
        throw new InvalidInput(`Finding ${event.findingId} is already open.`, 'findingId');
      return { ...event, atMs };
    case 'FINDING_RESOLVED':
      nonEmptyString(event.findingId, 'findingId');
      if (!context.openFindingIds.includes(event.findingId))
        throw new InvalidInput(`Finding ${event.findingId} is not an open finding of this unit.`, 'findingId');
      return { ...event, atMs };
    case 'LOOKBACK_VERDICT':
      oneOf(event.item, LOOKBACK_ITEMS, 'item');
      oneOf(event.verdict, VERDICTS, 'verdict');
      return { ...event, atMs };
    case 'PROVINCE_ACTIVITY': {
      nonEmptyString(event.activity, 'activity');
      if (e.note != null && typeof e.note !== 'string')
        throw new InvalidInput('note must be a string or null.', 'note');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      return { ...event, atMs, occurredAtMs };
    }
    case 'SELF_ASSESSMENT_FILED': {
      if (!Array.isArray(event.items)) throw new InvalidInput('items must be a list.', 'items');
      event.items.forEach((entry, i) => {
        oneOf(entry?.item, LOOKBACK_ITEMS, `items[${i}].item`);
        oneOf(entry?.rating, SELF_RATINGS, `items[${i}].rating`);
        nonEmptyString(entry?.text, `items[${i}].text`);
      });
      const missing = LOOKBACK_ITEMS.filter((item) => event.items.filter((entry) => entry.item === item).length !== 1);
      if (missing.length)
        throw new InvalidInput(
          `items must assess each of the four items exactly once (${missing.join(', ')}).`,
          'items',
        );
      return { ...event, atMs };
    }
  }
}
