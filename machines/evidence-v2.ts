/**
 * Ruleset 2's evidence reducer (Hebei's supplement): required topics, province activities, the self-assessment,
 * concentrated days of at least N hours, lecturer names compared after NFKC, deliberations that discussed every
 * opinion, and 立行立改 categories fix-at-once whatever the officer says. Everything else as ruleset 1.
 */
import { localDate } from './calendar.js';
import { emptySupplementTally, lecturersNeeded, type CampaignContext, type SupplementTally } from './context.js';
import type { MachineEvent } from './events.js';
import { applyEvidenceV1 } from './evidence.js';
import type { Rulebook } from './rulebook.js';
import { STUDY_TOPICS, type UnitKind } from './vocabulary.js';

/** NFKC, trimmed, every run of whitespace one space: " 王书记 " and "王书记" are one lecturer. */
export const normalisedName = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/gu, ' ');

/** The problem category a filed category names (code or the notice's wording), or null for any other. */
export function categoryCodeOf(category: string, rulebook: Rulebook): string | null {
  const wanted = normalisedName(category);
  for (const [code, wording] of Object.entries(rulebook.supplement?.problemCategories ?? {})) {
    if (wanted === code || wanted === normalisedName(wording)) return code;
  }
  return null;
}

/** Whether a problem of this category is fix-at-once for the kind whatever the officer says. */
export function forcedFixAtOnce(kind: UnitKind, category: string, rulebook: Rulebook): boolean {
  const code = categoryCodeOf(category, rulebook);
  return code !== null && (rulebook.supplement?.kinds[kind].fixAtOnceCategories ?? []).includes(code);
}

const TOPIC_SET: ReadonlySet<string> = new Set(STUDY_TOPICS);

/** The required-content topics an event names: its `topics` and a `topic` that is one of them; never ethics from elsewhere. */
function namedTopics(event: { topics?: readonly string[] | null; topic?: string | null }): string[] {
  const named = [
    ...(Array.isArray(event.topics) ? event.topics : []),
    ...(typeof event.topic === 'string' ? [event.topic] : []),
  ];
  return named.filter((t) => TOPIC_SET.has(t) && t !== 'ETHICS_AND_CONDUCT');
}

const withAll = (set: readonly string[], more: readonly string[]): string[] => {
  const missing = more.filter((x, i) => !set.includes(x) && more.indexOf(x) === i);
  return missing.length ? [...set, ...missing].sort() : (set as string[]);
};

const counts = (context: CampaignContext, occurredAtMs: number): boolean => {
  const start = context.windowStart.study;
  return start !== null && occurredAtMs >= start;
};

/** Milli-hour sums: 30 sessions of 0.1 h are exactly 3 h. */
const addHours = (a: number, b: number) => Math.round((a + b) * 1000) / 1000;

export function applySupplementEvidence(
  context: CampaignContext,
  event: MachineEvent,
  rulebook: Rulebook,
): CampaignContext {
  const supplement: SupplementTally = context.supplement ?? emptySupplementTally();
  const rules = rulebook.supplement;
  if (!rules) throw new Error(`rulebook v${rulebook.version} (ruleset ${rulebook.ruleset}) has no supplement rules.`);
  const occurredAtMs = event.occurredAtMs ?? ('occurredAt' in event ? Date.parse(event.occurredAt) : NaN);
  switch (event.type) {
    case 'STUDY_SESSION': {
      if (!counts(context, occurredAtMs) || event.format === 'BUSINESS_TRAINING') return context;
      const study = context.study;
      const sessionsByFormat = { ...study.sessionsByFormat, [event.format]: study.sessionsByFormat[event.format] + 1 };
      let { concentratedDates } = study;
      let { concentratedHours } = supplement;
      if (event.format === 'CONCENTRATED') {
        const needed = rulebook.kinds[context.unit.kind].study.concentratedDays;
        const date = localDate(occurredAtMs, rulebook.timeZone);
        if (concentratedDates.length < needed && !concentratedDates.includes(date)) {
          const hours = addHours(concentratedHours[date] ?? 0, event.hours);
          concentratedHours = { ...concentratedHours };
          if (hours >= rules.concentratedDayMinHours) {
            delete concentratedHours[date];
            concentratedDates = [...concentratedDates, date].sort();
            if (concentratedDates.length >= needed) concentratedHours = {};
          } else {
            concentratedHours[date] = hours;
          }
        }
      }
      const topics =
        event.format === 'ETHICS_TRAINING'
          ? withAll(supplement.topics, ['ETHICS_AND_CONDUCT'])
          : withAll(supplement.topics, namedTopics(event));
      return {
        ...context,
        study: { ...study, sessionsByFormat, concentratedDates },
        supplement: { ...supplement, topics, concentratedHours },
      };
    }
    case 'PARTY_LECTURE': {
      if (!counts(context, occurredAtMs)) return context;
      const study = context.study;
      let lecturers = study.lecturers;
      const lecturer = normalisedName(event.lecturer);
      if (lecturers.length < lecturersNeeded(context, rulebook) && !lecturers.includes(lecturer))
        lecturers = [...lecturers, lecturer];
      const topics = withAll(supplement.topics, namedTopics(event));
      return {
        ...context,
        study: { ...study, lecturers, partyLectures: study.partyLectures + 1 },
        supplement: { ...supplement, topics },
      };
    }
    case 'PROVINCE_ACTIVITY': {
      if (!counts(context, occurredAtMs) || !rules.activities.includes(event.activity)) return context;
      return {
        ...context,
        supplement: { ...supplement, activities: withAll(supplement.activities, [event.activity]) },
      };
    }
    case 'SELF_ASSESSMENT_FILED':
      return { ...context, supplement: { ...supplement, selfAssessedAt: event.atMs ?? Date.parse(event.at) } };
    case 'COLLECTIVE_DELIBERATION':
      // 一项一项议深议透: a deliberation counts only if it discussed every opinion the unit then had
      if (event.opinionsDiscussed < context.listening.opinions) return context;
      return applyEvidenceV1(context, event, rulebook);
    case 'PROBLEM_IDENTIFIED': {
      const fixAtOnce = event.fixAtOnce === true || forcedFixAtOnce(context.unit.kind, event.category, rulebook);
      return applyEvidenceV1(context, { ...event, fixAtOnce }, rulebook);
    }
    default:
      return applyEvidenceV1(context, event, rulebook);
  }
}
