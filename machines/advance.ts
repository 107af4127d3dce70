/**
 * Moving a stored snapshot by one event through the machine — two ways, one signature, proven identical result
 * by result by campaign.model.spec.ts (every model-based path) and campaign.property.spec.ts (10,000 walks per kind).
 */
import { createActor, transition, type AnyActorLogic, type AnyActorScope, type StateValue } from 'xstate';
import type { CampaignMachine } from './campaign.machine.js';
import type { CampaignContext } from './context.js';
import type { MachineEvent } from './events.js';
import { deepFreeze } from './json.js';
import type { Configuration, StoredSnapshot } from './status.js';

/** One event through the machine; `configuration` is the stored value's, already looked up by the caller. */
export type Advance = (
  machine: CampaignMachine,
  stored: StoredSnapshot,
  event: MachineEvent,
  configuration: Configuration,
) => StoredSnapshot;

/** xstate's public serverless API, as documented: resolveState → transition → getPersistedSnapshot. */
export const advanceByPublicApi: Advance = (machine, stored, event) => {
  const snapshot = machine.resolveState({ value: stored.value as StateValue, context: stored.context });
  const [next] = transition(machine, snapshot, event);
  const persisted = machine.getPersistedSnapshot(next) as unknown as StoredSnapshot;
  return { value: persisted.value, context: persisted.context };
};

/**
 * `transition()` builds a throwaway actor per call, and building it computes the machine's initial snapshot and
 * two actor systems. Our machines spawn nothing and run no side effects (assign only), so one inert scope per
 * machine, made the way `transition()` makes its own, serves every step. This leans on how xstate uses a
 * scope, which is why package.json pins xstate to one exact version.
 */
const inertScopes = new WeakMap<CampaignMachine, AnyActorScope>();

function inertScopeOf(machine: CampaignMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine as AnyActorLogic);
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

type MachineSnapshot = ReturnType<CampaignMachine['resolveState']>;

/**
 * `resolveState` depends on the context only to carry it: what it works out (the active state nodes, the value)
 * depends on the configuration alone, of which a chart has a few dozen. So it runs once per configuration, with
 * an empty context; a step takes a copy with the unit's context. xstate treats snapshots as immutable (a
 * transition builds a new one), and the template's value is frozen so that nobody can change it either.
 */
const resolvedTemplates = new WeakMap<Configuration, MachineSnapshot>();

function resolvedTemplateOf(
  machine: CampaignMachine,
  stored: StoredSnapshot,
  configuration: Configuration,
): MachineSnapshot {
  let template = resolvedTemplates.get(configuration);
  if (!template) {
    template = machine.resolveState({ value: stored.value as StateValue, context: {} as CampaignContext });
    deepFreeze(template.value);
    resolvedTemplates.set(configuration, template);
  }
  return template;
}

/**
 * The same three calls, each made cheaper: the resolved snapshot comes from the per-configuration template, the
 * scope is shared, and `getPersistedSnapshot` is left out because for a context without actor references it
 * returns the snapshot's own `value` and `context` objects, which are read directly.
 */
export const advanceFast: Advance = (machine, stored, event, configuration) => {
  const snapshot: MachineSnapshot = { ...resolvedTemplateOf(machine, stored, configuration), context: stored.context };
  const next = machine.transition(snapshot, event, inertScopeOf(machine));
  return { value: next.value, context: next.context };
};
