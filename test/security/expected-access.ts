import type { CommandName } from '../../src/auth/policy.js';
import type { Role } from '../../src/auth/principal.js';

/** Which roles may do an operation (scope aside): true allowed, false FORBIDDEN. */
export type RoleAccess = Readonly<Record<Role, boolean>>;

/**
 * Who may do what, written out by hand from the README's table of roles — one literal row per operation, never
 * computed from the policy table it checks, so that a wrong entry there fails instead of being copied here.
 * `expected-access.spec.ts` compares the two; the authorization matrix takes its expectations from this table.
 */
export const EXPECTED_ACCESS: Readonly<Record<CommandName, RoleAccess>> = {
  // the unit tree
  createUnit: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  // evidence, recorded by unit officers (and admins)
  fileStudyPlan: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordStudySession: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordPartyLecture: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordFilmScreening: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordOpinion: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  claimOpinion: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordCollectiveDeliberation: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  identifyProblem: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  rectifyProblem: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  recordProvinceActivity: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  fileSelfAssessment: { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  migrateUnits: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  publishRulebook: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  // supervision (督导组)
  issueFinding: { ADMIN: true, SUPERVISOR: true, OFFICER: false, AUDITOR: false },
  resolveFinding: { ADMIN: true, SUPERVISOR: true, OFFICER: false, AUDITOR: false },
  recordLookBackVerdict: { ADMIN: true, SUPERVISOR: true, OFFICER: false, AUDITOR: false },
  // admins only
  overrideTransition: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  sendEventToSubtree: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  // stage events: a name that is no stage event is refused as input to whoever sends some stage event
  sendEvent: { ADMIN: true, SUPERVISOR: true, OFFICER: true, AUDITOR: false },
  'sendEvent:LAUNCH': { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  'sendEvent:COMPLETE_STUDY': { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  'sendEvent:COMPLETE_LISTENING': { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  'sendEvent:COMPLETE_CORRECTING': { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  'sendEvent:REQUEST_LOOKBACK': { ADMIN: true, SUPERVISOR: false, OFFICER: true, AUDITOR: false },
  'sendEvent:CONCLUDE_LOOKBACK': { ADMIN: true, SUPERVISOR: true, OFFICER: false, AUDITOR: false },
  createAuditCheckpoint: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
  // reads
  read: { ADMIN: true, SUPERVISOR: true, OFFICER: true, AUDITOR: true },
  unitAsOf: { ADMIN: true, SUPERVISOR: true, OFFICER: true, AUDITOR: true },
  machineDiagram: { ADMIN: true, SUPERVISOR: true, OFFICER: true, AUDITOR: true },
  replay: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: true },
  verifyHistory: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: true },
  // test mode
  advanceClock: { ADMIN: true, SUPERVISOR: false, OFFICER: false, AUDITOR: false },
};
