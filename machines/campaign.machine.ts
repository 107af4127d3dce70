/**
 * The campaign statechart, one machine per rulebook. No live actors: the server resolves a stored snapshot,
 * transitions it, and stores the persisted result (see step.ts). Guards are "no blockers" over the gate sets;
 * actions are assign only (no side effects, nothing spawned).
 */
import { and, assign, setup, stateIn } from 'xstate';
import { beginReforge, type CampaignContext } from './context.js';
import { EVIDENCE_EVENTS, EVIDENCE_EVENTS_V1, REGION_COMPLETION_EVENT, type MachineEvent } from './events.js';
import { applyEvidence } from './evidence.js';
import { blockingUnder, type Evaluation, type GateSetName } from './gates/evaluator.js';
import { evaluateGateSet, gateSetNameOf } from './gates/sets.js';
import { assertRunnable, rulebookKey, type Rulebook } from './rulebook.js';
import { LOOKBACK_ITEMS, type Region } from './vocabulary.js';

const atMsOf = (event: MachineEvent): number => event.atMs ?? Date.parse(event.at);

export const machineIdOf = (rulebookVersion: number) => `lookback-campaign-v${rulebookVersion}`;

const FINDINGS = ['FINDING_ISSUED', 'FINDING_RESOLVED'] as const;

/** What a running unit records under a ruleset: its evidence (the study plan is filed before LAUNCH) and findings. */
const recordedWhileRunning = (rulebook: Rulebook) =>
  [
    ...(rulebook.ruleset >= 2 ? EVIDENCE_EVENTS : EVIDENCE_EVENTS_V1).filter((type) => type !== 'FILE_STUDY_PLAN'),
    ...FINDINGS,
  ] as const;

/**
 * The evaluation of a gate set for this event: computed once, and left in the event's gate log (when `step`
 * gave it one) so that a refusal is explained by the very evaluation the machine refused on.
 */
function judge(set: GateSetName, context: CampaignContext, event: MachineEvent, rulebook: Rulebook): Evaluation {
  const recorded = event.gateLog?.[set];
  if (recorded) return recorded;
  const facts = event.type === 'LAUNCH' ? { parentLaunched: event.parentLaunched } : {};
  const evaluation = evaluateGateSet(set, context, atMsOf(event), rulebook, facts);
  if (event.gateLog) event.gateLog[set] = evaluation;
  return evaluation;
}

function buildCampaignMachine(rulebook: Rulebook) {
  const evidence = Object.fromEntries(
    recordedWhileRunning(rulebook).map((type) => [type, { actions: 'applyEvidence' as const }]),
  ) as Record<ReturnType<typeof recordedWhileRunning>[number], { actions: 'applyEvidence' }>;
  // ruleset 2: findings may be issued and resolved in every phase (before launch and after the stage they block nothing)
  const findingsEverywhere =
    rulebook.ruleset >= 2
      ? {
          FINDING_ISSUED: { actions: 'applyEvidence' as const },
          FINDING_RESOLVED: { actions: 'applyEvidence' as const },
        }
      : {};
  const gatesPass = (set: GateSetName) => ({ type: 'gatesPass' as const, params: { set } });

  const region = (name: Region, phase: 'stage1' | 'reforging') => {
    const completion = REGION_COMPLETION_EVENT[name];
    return {
      initial: phase === 'stage1' ? ('active' as const) : ('entering' as const),
      states: {
        ...(phase === 'reforging'
          ? {
              // transient: a region reopens only if a failed look-back item maps to it
              entering: {
                always: [
                  { guard: { type: 'isReopened' as const, params: { region: name } }, target: 'active' },
                  { target: 'met' },
                ],
              },
            }
          : {}),
        active: { on: { [completion]: { guard: gatesPass(gateSetNameOf(phase, completion)), target: 'met' } } },
        met: {},
      },
    };
  };

  // the gates first: `and` stops at the first false guard, and a refusal must still name every gate blocker
  const lookBackAllowed = (phase: 'stage1' | 'reforging') =>
    and([
      gatesPass(gateSetNameOf(phase, 'REQUEST_LOOKBACK')),
      stateIn({ [phase]: { study: 'met' } }),
      stateIn({ [phase]: { listening: 'met' } }),
      stateIn({ [phase]: { correcting: 'met' } }),
    ]);

  return setup({
    types: {
      context: {} as CampaignContext,
      events: {} as MachineEvent,
      input: {} as CampaignContext,
    },
    guards: {
      gatesPass: ({ context, event }, params: { set: GateSetName }) =>
        blockingUnder(judge(params.set, context, event, rulebook), event.override === true).length === 0,
      isReopened: ({ context }, params: { region: Region }) => context.reopenedRegions.includes(params.region),
      allVerdictsPass: ({ context }) => LOOKBACK_ITEMS.every((item) => context.verdicts[item] === 'PASS'),
    },
    actions: {
      applyEvidence: assign(({ context, event }) => applyEvidence(context, event, rulebook)),
      fileStudyPlan: assign({ studyPlanFiled: true }),
      markLaunched: assign(({ event }) => {
        const at = atMsOf(event);
        return { launchedAt: at, windowStart: { study: at, listening: at, correcting: at } };
      }),
      beginLookBackRound: assign(({ context }) => ({ round: context.round + 1, verdicts: {} })),
      recordVerdict: assign(({ context, event }) =>
        event.type === 'LOOKBACK_VERDICT' ? { verdicts: { ...context.verdicts, [event.item]: event.verdict } } : {},
      ),
      beginReforge: assign(({ context, event }) => beginReforge(context, atMsOf(event), rulebook)),
    },
  }).createMachine({
    id: machineIdOf(rulebook.version),
    context: ({ input }) => input,
    initial: 'registered',
    states: {
      registered: {
        on: {
          ...findingsEverywhere,
          FILE_STUDY_PLAN: { actions: 'fileStudyPlan' },
          LAUNCH: { guard: gatesPass('launch'), target: 'stage1', actions: 'markLaunched' },
        },
      },
      stage1: {
        type: 'parallel',
        on: { ...evidence, REQUEST_LOOKBACK: { guard: lookBackAllowed('stage1'), target: 'lookBack' } },
        states: {
          study: region('study', 'stage1'),
          listening: region('listening', 'stage1'),
          correcting: region('correcting', 'stage1'),
        },
      },
      lookBack: {
        entry: 'beginLookBackRound',
        on: {
          ...evidence,
          LOOKBACK_VERDICT: { actions: 'recordVerdict' },
          CONCLUDE_LOOKBACK: [
            { guard: and([gatesPass('conclude'), 'allVerdictsPass']), target: 'stage1Complete' },
            { guard: gatesPass('conclude'), target: 'reforging', actions: 'beginReforge' },
          ],
        },
      },
      reforging: {
        type: 'parallel',
        on: { ...evidence, REQUEST_LOOKBACK: { guard: lookBackAllowed('reforging'), target: 'lookBack' } },
        states: {
          study: region('study', 'reforging'),
          listening: region('listening', 'reforging'),
          correcting: region('correcting', 'reforging'),
        },
      },
      stage1Complete: { on: { ...findingsEverywhere } },
    },
  });
}

export type CampaignMachine = ReturnType<typeof buildCampaignMachine>;

/** How many distinct rulebooks keep their machine cached (a handful are in force at once; each is cheap to rebuild). */
const CACHED_RULEBOOKS = 16;
const byKey = new Map<string, CampaignMachine>();
const byDocument = new WeakMap<Rulebook, CampaignMachine>();

/**
 * The machine of a rulebook. Cached by the rulebook's content key (version + every number and list), least
 * recently used first out; a document object seen before skips even the key.
 */
export function createCampaignMachine(rulebook: Rulebook): CampaignMachine {
  const seen = byDocument.get(rulebook);
  if (seen) return seen;
  assertRunnable(rulebook);
  const key = rulebookKey(rulebook);
  const machine = byKey.get(key) ?? buildCampaignMachine(rulebook);
  byKey.delete(key);
  byKey.set(key, machine);
  if (byKey.size > CACHED_RULEBOOKS) byKey.delete(byKey.keys().next().value as string);
  byDocument.set(rulebook, machine);
  return machine;
}
