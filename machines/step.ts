/**
 * The pure step the server runs per command: stored snapshot + event → next stored snapshot, or a typed
 * refusal. resolveState → checks → transition → getPersistedSnapshot. No clock but the event's `at`.
 */
import { createActor, initialTransition, type AnyActorScope, type StateValue } from 'xstate';
import { parseInstant } from './calendar.js';
import { createCampaignMachine, type CampaignMachine } from './campaign.machine.js';
import { initialContext, type CampaignContext, type UnitProfile } from './context.js';
import type { CampaignEvent, MachineEvent } from './events.js';
import { parentLaunchedBlockers, regionsNotMetBlockers, gateSetBlockers, type Blocker, type GateSetName } from './gates.js';
import { CURRENT_RULEBOOK_VERSION, rulebookOf, type Rulebook } from './rulebook.js';
import {
  FINDING_KINDS,
  LOOKBACK_ITEMS,
  OPINION_CATEGORIES,
  OPINION_CHANNELS,
  REGIONS,
  STAGE_EVENTS,
  STUDY_FORMATS,
  UNIT_KINDS,
  VERDICTS,
  type Region,
  type StageEventType,
} from './vocabulary.js';

/** What the server stores: plain JSON that round-trips through JSON.stringify/parse. */
export interface StoredSnapshot {
  value: unknown;
  context: CampaignContext;
}

export interface UnitStatusView {
  phase: string;
  /** sorted leaf paths, e.g. "stage1.study.met" */
  activeStates: string[];
}

export type StepResult =
  | { ok: true; snapshot: StoredSnapshot; status: UnitStatusView }
  | { ok: false; failure: 'NOT_ALLOWED_IN_STATE'; message: string; activeStates: string[] }
  | { ok: false; failure: 'BLOCKED'; blockers: Blocker[]; earliestAt: string | null }
  | { ok: false; failure: 'INVALID_INPUT'; message: string; field: string | null };

export interface StepOptions {
  /** admin override: lifts the gate blockers of a stage event, never the state structure */
  override?: boolean;
}

// ── status ────────────────────────────────────────────────────────────────────────────────────────
function collectLeaves(value: unknown, prefix: string, out: string[]): void {
  if (typeof value === 'string') {
    out.push(prefix ? `${prefix}.${value}` : value);
    return;
  }
  for (const key of Object.keys(value as Record<string, unknown>)) {
    collectLeaves((value as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key, out);
  }
}

/** A cheap identity of a state value (key order as stored; a few distinct strings per chart). */
function valueKey(value: unknown): string {
  if (typeof value === 'string') return value;
  let key = '';
  for (const k in value as Record<string, unknown>) key += `${k}(${valueKey((value as Record<string, unknown>)[k])})`;
  return key;
}

// a chart has a handful of configurations: compute each one's leaf list once
const leavesByValue = new Map<string, readonly string[]>();

/** Sorted leaf paths of a state value (shared, frozen: copy before handing out). */
export function leavesOf(value: unknown): readonly string[] {
  const key = valueKey(value);
  let leaves = leavesByValue.get(key);
  if (!leaves) {
    const out: string[] = [];
    collectLeaves(value, '', out);
    leaves = Object.freeze(out.sort());
    if (leavesByValue.size > 1000) leavesByValue.clear();
    leavesByValue.set(key, leaves);
  }
  return leaves;
}

export function activeStatesOf(value: unknown): string[] {
  return leavesOf(value).slice();
}

export function phaseOf(value: unknown): string {
  return typeof value === 'string' ? value : Object.keys(value as Record<string, unknown>)[0];
}

export function statusOf(s: StoredSnapshot): UnitStatusView {
  return { phase: phaseOf(s.value), activeStates: activeStatesOf(s.value) };
}

/** Regions still `active` in a parallel phase (stage1 or reforging). */
export function activeRegionsOf(value: unknown): Region[] {
  if (typeof value !== 'object' || value === null) return [];
  const regions = (value as Record<string, Record<string, string>>)[phaseOf(value)];
  return REGIONS.filter((region) => regions[region] === 'active');
}

// ── which events the current state handles (read off the machine's state nodes, cached) ─────────────────
const handledCache = new WeakMap<CampaignMachine, Map<string, Set<string>>>();

export function handledEventsOf(machine: CampaignMachine, value: unknown): Set<string> {
  let perMachine = handledCache.get(machine);
  if (!perMachine) handledCache.set(machine, (perMachine = new Map()));
  const key = valueKey(value);
  let handled = perMachine.get(key);
  if (!handled) {
    handled = new Set();
    for (const path of leavesOf(value)) {
      let node = machine.root;
      for (const segment of path.split('.')) {
        for (const type of node.ownEvents) handled.add(type);
        node = node.states[segment];
        if (!node) throw new Error(`Unknown state ${path}`);
      }
      for (const type of node.ownEvents) handled.add(type);
    }
    perMachine.set(key, handled);
  }
  return handled;
}

// ── gates for stage events (shared with explain) ─────────────────────────────────────────────────────
export interface StageEvaluation {
  blockers: Blocker[];
  /** blockers no override can lift */
  structural: Blocker[];
  earliestAtMs: number | null;
}

const REGION_OF_EVENT: Partial<Record<StageEventType, Region>> = {
  COMPLETE_STUDY: 'study',
  COMPLETE_LISTENING: 'listening',
  COMPLETE_CORRECTING: 'correcting',
};

/** The blockers of a stage event the current state handles. */
export function evaluateStageEvent(
  s: StoredSnapshot,
  type: StageEventType,
  atMs: number,
  rulebook: Rulebook,
  facts: { parentLaunched?: boolean },
): StageEvaluation {
  const phase = phaseOf(s.value);
  const context = s.context;
  if (type === 'LAUNCH') {
    const gates = gateSetBlockers('launch', context, atMs, rulebook);
    const parent = parentLaunchedBlockers(facts.parentLaunched);
    return { blockers: [...gates.blockers, ...parent], structural: [], earliestAtMs: parent.length ? null : gates.earliestAtMs };
  }
  if (type === 'CONCLUDE_LOOKBACK') {
    const gates = gateSetBlockers('conclude', context, atMs, rulebook);
    return { blockers: gates.blockers, structural: gates.blockers, earliestAtMs: null };
  }
  const stagePhase = phase === 'reforging' ? 'reforging' : 'stage1';
  if (type === 'REQUEST_LOOKBACK') {
    const structural = regionsNotMetBlockers(activeRegionsOf(s.value));
    const gates = gateSetBlockers(`${stagePhase}.requestLookBack`, context, atMs, rulebook);
    return {
      blockers: [...structural, ...gates.blockers],
      structural,
      earliestAtMs: structural.length ? null : gates.earliestAtMs,
    };
  }
  const region = REGION_OF_EVENT[type] as Region;
  const gates = gateSetBlockers(`${stagePhase}.${region}` as GateSetName, context, atMs, rulebook);
  return { blockers: gates.blockers, structural: [], earliestAtMs: gates.earliestAtMs };
}

// ── input validation ─────────────────────────────────────────────────────────────────────────────────
class InvalidInput extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

const KNOWN_EVENT_TYPES = new Set<string>([
  'FILE_STUDY_PLAN',
  ...STAGE_EVENTS,
  'STUDY_SESSION',
  'PARTY_LECTURE',
  'FILM_SCREENING',
  'OPINION_RECORDED',
  'OPINION_CLAIMED',
  'COLLECTIVE_DELIBERATION',
  'PROBLEM_IDENTIFIED',
  'PROBLEM_RECTIFIED',
  'FINDING_ISSUED',
  'FINDING_RESOLVED',
  'LOOKBACK_VERDICT',
]);

const STAGE_EVENT_SET = new Set<string>(STAGE_EVENTS);

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInput(`${field} must be a non-empty string.`, field);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new InvalidInput(`${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`, field);
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
  if (ms === null) throw new InvalidInput(`${field} must be an ISO-8601 instant with a zone, e.g. 2014-03-01T09:00:00Z; got ${JSON.stringify(value)}.`, field);
  return ms;
}

/** occurredAt may be neither after the event's `at` (the future) nor before the unit's launch (back-dating). */
function occurredAt(value: unknown, atMs: number, context: CampaignContext): number {
  const ms = instant(value, 'occurredAt');
  if (ms > atMs) throw new InvalidInput(`occurredAt (${value}) is after the time of recording: evidence cannot come from the future.`, 'occurredAt');
  if (context.launchedAt === null || ms < context.launchedAt) {
    throw new InvalidInput(`occurredAt (${value}) is before the unit's launch (${context.launchedAt === null ? 'not launched' : new Date(context.launchedAt).toISOString()}): no back-dating.`, 'occurredAt');
  }
  return ms;
}

/** Checks an event's fields against the context; returns the event the machine receives. */
function validate(event: CampaignEvent, context: CampaignContext, override: boolean): MachineEvent {
  const atMs = instant(event.at, 'at');
  const e = event as CampaignEvent & Record<string, unknown>;
  switch (event.type) {
    case 'FILE_STUDY_PLAN': {
      if (!Array.isArray(event.topics) || event.topics.length === 0) throw new InvalidInput('topics must list at least one topic.', 'topics');
      event.topics.forEach((topic, i) => nonEmptyString(topic, `topics[${i}]`));
      integerAtLeast(event.plannedDays, 1, 'plannedDays');
      return { ...event, atMs };
    }
    case 'LAUNCH':
      if (typeof event.parentLaunched !== 'boolean') throw new InvalidInput('parentLaunched must be a boolean.', 'parentLaunched');
      return { ...event, atMs, override };
    case 'COMPLETE_STUDY':
    case 'COMPLETE_LISTENING':
    case 'COMPLETE_CORRECTING':
    case 'REQUEST_LOOKBACK':
    case 'CONCLUDE_LOOKBACK':
      return { ...event, atMs, override };
    case 'STUDY_SESSION': {
      oneOf(event.format, STUDY_FORMATS, 'format');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      if (typeof event.hours !== 'number' || !Number.isFinite(event.hours) || event.hours <= 0 || event.hours > 24) {
        throw new InvalidInput(`hours must be a number in (0, 24]; got ${JSON.stringify(event.hours)}.`, 'hours');
      }
      integerAtLeast(event.attendees, 1, 'attendees');
      if (e.topic != null && typeof e.topic !== 'string') throw new InvalidInput('topic must be a string or null.', 'topic');
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
        throw new InvalidInput(`Opinion ${event.opinionId} is not an unclaimed opinion routed to this unit.`, 'opinionId');
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
      if (e.sourceOpinionId != null && typeof e.sourceOpinionId !== 'string') throw new InvalidInput('sourceOpinionId must be a string or null.', 'sourceOpinionId');
      if (Object.hasOwn(context.openProblems, event.problemId)) throw new InvalidInput(`Problem ${event.problemId} is already open.`, 'problemId');
      return { ...event, atMs, dueAtMs };
    }
    case 'PROBLEM_RECTIFIED': {
      nonEmptyString(event.problemId, 'problemId');
      if (!Object.hasOwn(context.openProblems, event.problemId)) throw new InvalidInput(`Problem ${event.problemId} is not an open problem of this unit.`, 'problemId');
      const occurredAtMs = occurredAt(event.occurredAt, atMs, context);
      return { ...event, atMs, occurredAtMs };
    }
    case 'FINDING_ISSUED':
      nonEmptyString(event.findingId, 'findingId');
      oneOf(event.kind, FINDING_KINDS, 'kind');
      if (context.openFindingIds.includes(event.findingId)) throw new InvalidInput(`Finding ${event.findingId} is already open.`, 'findingId');
      return { ...event, atMs };
    case 'FINDING_RESOLVED':
      nonEmptyString(event.findingId, 'findingId');
      if (!context.openFindingIds.includes(event.findingId)) throw new InvalidInput(`Finding ${event.findingId} is not an open finding of this unit.`, 'findingId');
      return { ...event, atMs };
    case 'LOOKBACK_VERDICT':
      oneOf(event.item, LOOKBACK_ITEMS, 'item');
      oneOf(event.verdict, VERDICTS, 'verdict');
      return { ...event, atMs };
  }
}

// ── the step ────────────────────────────────────────────────────────────────────────────────────────
/**
 * xstate's `transition()` helper builds a throwaway actor per call (which computes the machine's initial
 * snapshot every time: most of a step's cost). Ours spawns nothing, runs no side effects (assign only),
 * so one inert scope per machine, built the same way, serves every transition.
 */
const inertScopes = new WeakMap<CampaignMachine, AnyActorScope>();

function inertScopeOf(machine: CampaignMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine, { input: initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, rulebookOf(1)) });
    scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as AnyActorScope;
    inertScopes.set(machine, scope);
  }
  return scope;
}
/**
 * `machine.resolveState` with the part that depends only on the state value (the active state nodes, the value,
 * tags, status: a handful of configurations per chart) computed once per configuration. Each call gets its own
 * snapshot object, with its own copies of everything xstate could hand back or that a caller could change.
 */
const resolvedByValue = new WeakMap<CampaignMachine, Map<string, ReturnType<CampaignMachine['resolveState']>>>();

function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) copy[key] = copyValue((value as Record<string, unknown>)[key]);
  return copy;
}

function resolveCached(machine: CampaignMachine, s: StoredSnapshot): ReturnType<CampaignMachine['resolveState']> {
  let perMachine = resolvedByValue.get(machine);
  if (!perMachine) resolvedByValue.set(machine, (perMachine = new Map()));
  const key = valueKey(s.value);
  let template = perMachine.get(key);
  if (!template) {
    template = machine.resolveState({ value: s.value as StateValue, context: {} as CampaignContext });
    if (perMachine.size > 1000) perMachine.clear();
    perMachine.set(key, template);
  }
  return {
    ...template,
    context: s.context,
    _nodes: template._nodes.slice(),
    value: copyValue(template.value) as StateValue,
    tags: new Set(template.tags),
    children: {},
    historyValue: {},
  } as ReturnType<CampaignMachine['resolveState']>;
}

export function initialSnapshot(profile: UnitProfile, rulebookVersion: number = CURRENT_RULEBOOK_VERSION): StoredSnapshot {
  if (!UNIT_KINDS.includes(profile.kind)) throw new Error(`Unknown unit kind ${JSON.stringify(profile.kind)}`);
  if (!Number.isInteger(profile.leaderCount) || profile.leaderCount < 0) throw new Error('leaderCount must be an integer ≥ 0');
  const rulebook = rulebookOf(rulebookVersion);
  const machine = createCampaignMachine(rulebook);
  const [snapshot] = initialTransition(machine, initialContext(profile, rulebook));
  const persisted = machine.getPersistedSnapshot(snapshot) as unknown as StoredSnapshot;
  return { value: persisted.value, context: persisted.context };
}

export function step(s: StoredSnapshot, event: CampaignEvent, options: StepOptions = {}): StepResult {
  if (event === null || typeof event !== 'object' || !KNOWN_EVENT_TYPES.has(event.type)) {
    return { ok: false, failure: 'INVALID_INPUT', message: `Unknown event type ${JSON.stringify(event?.type)}.`, field: 'type' };
  }
  const rulebook = rulebookOf(s.context.rulebookVersion);
  const machine = createCampaignMachine(rulebook);
  if (!handledEventsOf(machine, s.value).has(event.type)) {
    const activeStates = activeStatesOf(s.value);
    return {
      ok: false,
      failure: 'NOT_ALLOWED_IN_STATE',
      message: `${event.type} is not allowed in ${activeStates.join(', ')}.`,
      activeStates,
    };
  }
  const override = options.override === true;
  let machineEvent: MachineEvent;
  try {
    machineEvent = validate(event, s.context, override);
  } catch (error) {
    if (error instanceof InvalidInput) return { ok: false, failure: 'INVALID_INPUT', message: error.message, field: error.field };
    throw error;
  }

  const isStage = STAGE_EVENT_SET.has(event.type);
  if (isStage) {
    const facts = event.type === 'LAUNCH' ? { parentLaunched: event.parentLaunched } : {};
    const evaluation = evaluateStageEvent(s, event.type as StageEventType, machineEvent.atMs as number, rulebook, facts);
    const blocking = override ? evaluation.structural : evaluation.blockers;
    if (blocking.length > 0) {
      const earliestAtMs = override ? null : evaluation.earliestAtMs;
      return { ok: false, failure: 'BLOCKED', blockers: blocking, earliestAt: earliestAtMs === null ? null : new Date(earliestAtMs).toISOString() };
    }
  }

  const resolved = resolveCached(machine, s);
  const next = machine.transition(resolved, machineEvent, inertScopeOf(machine));
  const persisted = machine.getPersistedSnapshot(next) as unknown as StoredSnapshot;
  const snapshot: StoredSnapshot = { value: persisted.value, context: persisted.context };
  if (isStage && snapshot.value === s.value) {
    // the gates above and the machine's guards are the same functions; reaching this is a bug, not a refusal
    throw new Error(`Gate drift: ${event.type} passed the gates but the machine did not move from ${activeStatesOf(s.value).join(', ')}`);
  }
  return { ok: true, snapshot, status: statusOf(snapshot) };
}
