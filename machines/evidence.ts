/**
 * The evidence reducer: the context after one evidence or supervision event that `step` has validated.
 * Evidence dated before a region's window start counts for nothing there (no back-dating into a re-forge).
 */
import { localDate } from './calendar.js';
import { lecturersNeeded, type CampaignContext, type ListeningTally } from './context.js';
import type { MachineEvent } from './events.js';
import type { Rulebook } from './rulebook.js';
import type { Region } from './vocabulary.js';
import { applySupplementEvidence } from './evidence-v2.js';

const counts = (context: CampaignContext, region: Region, occurredAtMs: number): boolean => {
  const start = context.windowStart[region];
  return start !== null && occurredAtMs >= start;
};

const without = (ids: string[], id: string): string[] => ids.filter((x) => x !== id);

/** The context after one evidence or supervision event; the event has been validated by `step`. */
export function applyEvidence(context: CampaignContext, event: MachineEvent, rulebook: Rulebook): CampaignContext {
  if (rulebook.ruleset >= 2) return applySupplementEvidence(context, event, rulebook);
  return applyEvidenceV1(context, event, rulebook);
}

/** Ruleset 1, exactly as histories were recorded under it. */
export function applyEvidenceV1(context: CampaignContext, event: MachineEvent, rulebook: Rulebook): CampaignContext {
  const occurredAtMs = event.occurredAtMs ?? ('occurredAt' in event ? Date.parse(event.occurredAt) : NaN);
  switch (event.type) {
    case 'STUDY_SESSION': {
      if (!counts(context, 'study', occurredAtMs)) return context;
      const study = context.study;
      const format = event.format as keyof typeof study.sessionsByFormat;
      const sessionsByFormat = { ...study.sessionsByFormat, [format]: study.sessionsByFormat[format] + 1 };
      let concentratedDates = study.concentratedDates;
      if (event.format === 'CONCENTRATED') {
        const needed = rulebook.kinds[context.unit.kind].study.concentratedDays;
        const date = localDate(occurredAtMs, rulebook.timeZone);
        if (concentratedDates.length < needed && !concentratedDates.includes(date)) {
          concentratedDates = [...concentratedDates, date].sort();
        }
      }
      return { ...context, study: { ...study, sessionsByFormat, concentratedDates } };
    }
    case 'PARTY_LECTURE': {
      if (!counts(context, 'study', occurredAtMs)) return context;
      const study = context.study;
      let lecturers = study.lecturers;
      const lecturer = event.lecturer.trim();
      if (lecturers.length < lecturersNeeded(context, rulebook) && !lecturers.includes(lecturer)) {
        lecturers = [...lecturers, lecturer];
      }
      return { ...context, study: { ...study, lecturers, partyLectures: study.partyLectures + 1 } };
    }
    case 'FILM_SCREENING': {
      if (!counts(context, 'study', occurredAtMs)) return context;
      return { ...context, study: { ...context.study, filmScreenings: context.study.filmScreenings + 1 } };
    }
    case 'OPINION_RECORDED': {
      const routed = event.collectedByUnitId !== event.targetUnitId;
      const unclaimedOpinionIds = routed
        ? [...context.unclaimedOpinionIds, event.opinionId]
        : context.unclaimedOpinionIds;
      if (!counts(context, 'listening', occurredAtMs)) return { ...context, unclaimedOpinionIds };
      const l = context.listening;
      const listening: ListeningTally = {
        ...l,
        opinions: l.opinions + 1,
        faceToFace: l.faceToFace + (rulebook.faceToFaceChannels.includes(event.channel) ? 1 : 0),
        fourStyles: l.fourStyles + (rulebook.fourStylesCategories.includes(event.category) ? 1 : 0),
        latestOpinionAt: l.latestOpinionAt === null ? occurredAtMs : Math.max(l.latestOpinionAt, occurredAtMs),
      };
      return { ...context, listening, unclaimedOpinionIds };
    }
    case 'OPINION_CLAIMED':
      return { ...context, unclaimedOpinionIds: without(context.unclaimedOpinionIds, event.opinionId) };
    case 'COLLECTIVE_DELIBERATION': {
      if (!counts(context, 'listening', occurredAtMs)) return context;
      const l = context.listening;
      const latestDeliberationAt =
        l.latestDeliberationAt === null ? occurredAtMs : Math.max(l.latestDeliberationAt, occurredAtMs);
      return { ...context, listening: { ...l, latestDeliberationAt } };
    }
    case 'PROBLEM_IDENTIFIED': {
      const dueAt = event.dueAtMs !== undefined ? event.dueAtMs : event.dueAt ? Date.parse(event.dueAt) : null;
      return {
        ...context,
        correcting: { problemsIdentified: context.correcting.problemsIdentified + 1 },
        openProblems: { ...context.openProblems, [event.problemId]: { fixAtOnce: event.fixAtOnce, dueAt } },
      };
    }
    case 'PROBLEM_RECTIFIED': {
      const openProblems = { ...context.openProblems };
      delete openProblems[event.problemId];
      return { ...context, openProblems };
    }
    case 'FINDING_ISSUED':
      return { ...context, openFindingIds: [...context.openFindingIds, event.findingId] };
    case 'FINDING_RESOLVED':
      return { ...context, openFindingIds: without(context.openFindingIds, event.findingId) };
    default:
      return context;
  }
}
