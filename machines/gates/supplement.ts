/**
 * Ruleset 2's gates (Hebei's supplement, 冀群组发〔2014〕33号): required topics, the province's prescribed
 * activities, the unit's own self-assessment before the look-back, and ruleset 1's study gates with v1's
 * loopholes closed (lecturers without a leader count, villages' concentrated sessions as their discussion).
 */
import type { CampaignContext } from '../context.js';
import type { Rulebook, SupplementKindRules } from '../rulebook.js';
import { atLeast, kindRules, type GateDefinition } from './evaluator.js';

const supplementOf = (c: CampaignContext, r: Rulebook): SupplementKindRules => {
  const rules = r.supplement?.kinds[c.unit.kind];
  if (!rules) throw new Error(`rulebook v${r.version} has no supplement rules for ${c.unit.kind}.`);
  return rules;
};

const missingOf = (required: readonly string[], held: readonly string[] | undefined) =>
  required.filter((x) => !(held ?? []).includes(x));

export const REQUIRED_TOPICS: GateDefinition = {
  code: 'REQUIRED_TOPICS_MISSING',
  scope: 'study',
  label: 'required topics studied (规定内容)',
  applies: (c, r) => supplementOf(c, r).requiredTopics.length > 0,
  check: (c, _at, r) => {
    const required = supplementOf(c, r).requiredTopics;
    const missing = missingOf(required, c.supplement?.topics);
    return {
      met: missing.length === 0,
      required: required.join(', '),
      actual: `${required.length - missing.length} of ${required.length}`,
      message: missing.length
        ? `Required content not yet studied: ${missing.join(', ')}.`
        : 'Every required topic has been studied.',
    };
  },
};

export const PROVINCE_ACTIVITIES: GateDefinition = {
  code: 'PROVINCE_ACTIVITY_MISSING',
  scope: 'study',
  label: "the province's prescribed activities (规定动作)",
  applies: (c, r) => supplementOf(c, r).requiredActivities.length > 0,
  check: (c, _at, r) => {
    const required = supplementOf(c, r).requiredActivities;
    const missing = missingOf(required, c.supplement?.activities);
    return {
      met: missing.length === 0,
      required: required.join(', '),
      actual: `${required.length - missing.length} of ${required.length}`,
      message: missing.length
        ? `Prescribed activities not yet held: ${missing.join(', ')}.`
        : 'Every prescribed activity has been held.',
    };
  },
};

/** Filed at all, and in a re-forge filed after the re-forge began (回头看，逐项评估 — the unit's own first). */
export const SELF_ASSESSMENT: GateDefinition = {
  code: 'SELF_ASSESSMENT_MISSING',
  scope: 'stage',
  label: "the unit's self-assessment of the four items",
  applies: () => true,
  check: (c) => {
    const filed = c.supplement?.selfAssessedAt ?? null;
    const since = c.reforgeStartedAt;
    const met = filed !== null && (since === null || filed >= since);
    return {
      met,
      required: since === null ? 'filed' : 'filed since the re-forge began',
      actual: filed === null ? 'missing' : met ? 'filed' : 'filed before the re-forge',
      message: met
        ? 'The self-assessment is filed.'
        : since !== null && filed !== null
          ? 'The self-assessment predates the re-forge: file a new one before asking for the look-back.'
          : 'File the self-assessment of the four look-back items (each MET, PARTLY or NOT_MET) before asking for the look-back.',
    };
  },
};

/** Every leading cadre lectures, and a leadership body without a leader count still needs `minLecturers`. */
export const LECTURERS_V2: GateDefinition = {
  code: 'LECTURERS_SHORT',
  scope: 'study',
  label: 'distinct party lecturers (one per leading cadre, at least one)',
  applies: (c, r) => kindRules(c, r).study.lecturerPerLeader,
  check: (c, _at, r) =>
    atLeast(
      c.study.lecturers.length,
      Math.max(c.unit.leaderCount, r.supplement?.minLecturers ?? 0),
      'distinct lecturer',
      'Leading cadres who gave a party lecture',
    ),
};

/** For villages a CONCENTRATED session is their 集中学习讨论 as well as a GROUP_DISCUSSION. */
export const GROUP_DISCUSSION_V2: GateDefinition = {
  code: 'GROUP_DISCUSSION_MISSING',
  scope: 'study',
  label: 'group discussions',
  applies: (c, r) => kindRules(c, r).study.groupDiscussions > 0,
  check: (c, _at, r) => {
    const s = c.study.sessionsByFormat;
    const held = s.GROUP_DISCUSSION + (supplementOf(c, r).concentratedCountsAsDiscussion ? s.CONCENTRATED : 0);
    return atLeast(held, kindRules(c, r).study.groupDiscussions, 'group discussion', 'Concentrated study discussions');
  },
};
