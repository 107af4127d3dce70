import { forbidden } from './auth-errors.js';
import type { Role } from './principal.js';

/**
 * Who may send which command: the one policy table of the service. Scope (the principal's subtree) is checked on
 * top of it, against the unit the command acts on.
 */
const OFFICER: readonly Role[] = ['OFFICER', 'ADMIN'];
const SUPERVISOR: readonly Role[] = ['SUPERVISOR', 'ADMIN'];
const ADMIN: readonly Role[] = ['ADMIN'];
const AUDITOR: readonly Role[] = ['AUDITOR', 'ADMIN'];
const EVERYONE: readonly Role[] = ['ADMIN', 'SUPERVISOR', 'OFFICER', 'AUDITOR'];

export const COMMAND_POLICY = {
  createUnit: ADMIN,
  fileStudyPlan: OFFICER,
  recordStudySession: OFFICER,
  recordPartyLecture: OFFICER,
  recordFilmScreening: OFFICER,
  recordOpinion: OFFICER,
  claimOpinion: OFFICER,
  recordCollectiveDeliberation: OFFICER,
  identifyProblem: OFFICER,
  rectifyProblem: OFFICER,
  recordProvinceActivity: OFFICER,
  fileSelfAssessment: OFFICER,
  migrateUnits: ADMIN,
  /** a new rulebook version for the whole province: admins without a scope only */
  publishRulebook: ADMIN,
  issueFinding: SUPERVISOR,
  resolveFinding: SUPERVISOR,
  recordLookBackVerdict: SUPERVISOR,
  overrideTransition: ADMIN,
  sendEventToSubtree: ADMIN,
  /** a name that is no stage event: refused as InvalidInput, after the check that the caller sends stage events at all */
  sendEvent: ['OFFICER', 'SUPERVISOR', 'ADMIN'],
  'sendEvent:LAUNCH': OFFICER,
  'sendEvent:COMPLETE_STUDY': OFFICER,
  'sendEvent:COMPLETE_LISTENING': OFFICER,
  'sendEvent:COMPLETE_CORRECTING': OFFICER,
  'sendEvent:REQUEST_LOOKBACK': OFFICER,
  'sendEvent:CONCLUDE_LOOKBACK': SUPERVISOR,
  createAuditCheckpoint: ADMIN,
  // reads (and test mode)
  read: EVERYONE,
  advanceClock: ADMIN,
  unitAsOf: EVERYONE,
  machineDiagram: EVERYONE,
  replay: AUDITOR,
  verifyHistory: AUDITOR,
} as const satisfies Record<string, readonly Role[]>;

export type CommandName = keyof typeof COMMAND_POLICY;
export type PolicyName = CommandName;

/** The role check of the policy table: FORBIDDEN unless the principal's role may do the operation. */
export function requireRole(principal: { role: string }, operation: CommandName): void {
  const roles: readonly string[] = COMMAND_POLICY[operation];
  if (!roles.includes(principal.role))
    throw forbidden(`${principal.role} may not ${operation}: allowed to ${roles.join(', ')}.`);
}
