/** The correcting region's gates (边学边改): problems identified, the fix-at-once ones fixed, none overdue. */
import { always, atLeast, kindRules, plural, type GateDefinition } from './evaluator.js';

export const PROBLEM_IDENTIFIED: GateDefinition = {
  code: 'NO_PROBLEM_IDENTIFIED',
  scope: 'correcting',
  label: 'problems identified',
  applies: always,
  check: (c, _at, r) =>
    atLeast(
      c.correcting.problemsIdentified,
      kindRules(c, r).correcting.minProblemsIdentified,
      'problem',
      'Problems identified',
    ),
};

export const FIX_AT_ONCE_RECTIFIED: GateDefinition = {
  code: 'FIX_AT_ONCE_OPEN',
  scope: 'correcting',
  label: '"fix at once" problems still open',
  applies: always,
  check: (c) => {
    const open = Object.keys(c.openProblems).filter((id) => c.openProblems[id].fixAtOnce);
    return {
      met: open.length === 0,
      required: '0 open',
      actual: String(open.length),
      message: `${plural(open.length, 'problem')} marked "fix at once" (立行立改) still open${open.length ? `: ${open.slice(0, 5).join(', ')}` : ''}.`,
    };
  },
};

/** Overdue: an open problem whose due instant has passed (the due instant itself is still in time). */
export const NONE_OVERDUE: GateDefinition = {
  code: 'PROBLEM_OVERDUE',
  scope: 'correcting',
  label: 'open problems past their due date',
  applies: always,
  check: (c, at) => {
    const overdue = Object.keys(c.openProblems).filter((id) => {
      const due = c.openProblems[id].dueAt;
      return due !== null && at > due;
    });
    return {
      met: overdue.length === 0,
      required: '0 overdue',
      actual: String(overdue.length),
      message: `${plural(overdue.length, 'open problem')} past the due date${overdue.length ? `: ${overdue.slice(0, 5).join(', ')}` : ''}.`,
    };
  },
};

export const CORRECTING_CONTENT: readonly GateDefinition[] = [PROBLEM_IDENTIFIED, FIX_AT_ONCE_RECTIFIED, NONE_OVERDUE];
