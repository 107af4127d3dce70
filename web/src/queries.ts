/** Every document the page sends: a fixed few (the server budgets new documents per principal). */

export const SIGN_IN = `query SignIn { serverTime }`;

export const ROOTS = `query Roots { units(first: 100) { edges { node { id name kind depth status { phase } } } } }`;

export interface UnitRef {
  id: string;
  name: string;
  kind: string;
}
export interface Status {
  phase: string;
  activeStates: string[];
  version: number;
}
export interface Blocker {
  code: string;
  message: string;
  required: string | null;
  actual: string | null;
}
export interface TransitionOption {
  event: string;
  allowed: boolean;
  earliestAt: string | null;
  blockers: Blocker[];
}

export const UNIT = `query Unit($id: ID!) {
  serverTime
  machineDiagram
  unit(id: $id) {
    id name kind leaderCount
    parent { id name }
    status { phase activeStates version }
    transitions { event allowed earliestAt blockers { code message required actual } }
    history(first: 100) { edges { node { seq type at actor role override reason } } }
    attempts(first: 100) { edges { node { command actor role at failure message blockers { code message required actual } } } }
  }
}`;

export const PATH = `query Path($id: ID!) { replay(unitId: $id, first: 100) { steps { seq type stateBefore stateAfter } } }`;

export const VERIFY = `query Verify($id: ID!) { verifyHistory(unitId: $id) { ok checkedEvents firstBrokenSeq problem detail } }`;

export const AS_OF = `query AsOf($id: ID!, $at: DateTime!) { unitAsOf(unitId: $id, at: $at) { phase activeStates version } }`;

export const REPLAY = `query Replay($id: ID!, $after: Int) {
  machineDiagram
  unit(id: $id) { id name kind }
  replay(unitId: $id, first: 100, after: $after) {
    hasMore nextAfter diverged
    steps {
      seq type at actor role override reason refusal stateBefore stateAfter rulebookVersion hash
      gates { event allowed earliestAt blockers { code message required actual } }
    }
  }
}`;

const ROLLUP_FIELDS = `unitId units launched progressIndex completedShare openFindings unitsWithOpenFindings reforgesBegun
  refusedStageEvents(sinceDays: 7) byPhase { phase count } imbalance { spread uneven laggingChildren }`;

export const SUBTREE = `query Subtree($id: ID!) {
  unit(id: $id) {
    id name kind
    parent { id name }
    status { phase }
    rollup { ${ROLLUP_FIELDS} }
    children(first: 100) {
      edges { node { id name kind status { phase } rollup { unitId units progressIndex completedShare openFindings refusedStageEvents(sinceDays: 7) } } }
    }
  }
  laggards(underId: $id, first: 20) { edges { node { id name kind status { phase } } } }
}`;

/** Apart from SUBTREE: a subtree too wide for rushing is refused, and the rest of the page still shows. */
export const RUSHING = `query Rushing($id: ID!) {
  rushing(underId: $id, first: 20) { edges { node { id name kind status { phase } } } }
}`;

export interface Rollup {
  unitId: string;
  units: number;
  launched: number;
  progressIndex: number;
  completedShare: number;
  openFindings: number;
  unitsWithOpenFindings: number;
  reforgesBegun: number;
  refusedStageEvents: number;
  byPhase: { phase: string; count: number }[];
  imbalance: { spread: number; uneven: boolean; laggingChildren: string[] };
}

export const UNIT_CHANGED = `subscription UnitChanged($id: ID!) { unitChanged(unitId: $id) { version } }`;

export const ROLLUP_CHANGED = `subscription RollupChanged($id: ID!) { rollupChanged(unitId: $id) { unitId } }`;
