/** The gates of LAUNCH: a written study plan, and the parent launched first (压茬启动). */
import { always, type GateDefinition } from './evaluator.js';

export const STUDY_PLAN_FILED: GateDefinition = {
  code: 'STUDY_PLAN_MISSING',
  scope: 'launch',
  label: 'written study plan filed',
  applies: always,
  check: (c) => ({
    met: c.studyPlanFiled,
    required: 'filed',
    actual: c.studyPlanFiled ? 'filed' : 'missing',
    message: 'A written study plan (focus, time, method, requirements) must be filed before LAUNCH.',
  }),
};

/** Reads the engine's fact, not the context: whether the parent unit had launched when LAUNCH was sent. */
export const PARENT_LAUNCHED: GateDefinition = {
  code: 'PARENT_NOT_LAUNCHED',
  scope: 'launch',
  label: 'parent unit launched',
  applies: always,
  check: (_c, _at, _r, facts) => ({
    met: facts.parentLaunched === true,
    required: 'parent launched',
    actual: facts.parentLaunched === undefined ? 'unknown' : facts.parentLaunched ? 'launched' : 'not launched',
    message:
      facts.parentLaunched === undefined
        ? 'Whether the parent unit has launched is unknown; a unit may not launch before its parent (压茬启动).'
        : 'The parent unit has not launched yet; a unit may not launch before its parent (压茬启动).',
  }),
};
