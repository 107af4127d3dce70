/**
 * The campaign statechart (DOMAIN.md), one machine per rulebook version. No live actors: the server
 * resolves a stored snapshot, transitions it, and stores the persisted result (see step.ts).
 */
import { and, assign, setup, stateIn } from 'xstate';
import { applyEvidence, beginReforge, type CampaignContext } from './context.js';
import { EVIDENCE_EVENTS, FINDING_EVENTS, type MachineEvent } from './events.js';
import { gateSetBlockers, type GateSetName } from './gates.js';
import { rulebookOf, type Rulebook } from './rulebook.js';
import { LOOKBACK_ITEMS, type Region } from './vocabulary.js';

const atMsOf = (event: MachineEvent): number => event.atMs ?? Date.parse(event.at);

export const machineIdOf = (rulebookVersion: number) => `lookback-campaign-v${rulebookVersion}`;

function buildCampaignMachine(rulebook: Rulebook) {
  const passes = (set: GateSetName, context: CampaignContext, event: MachineEvent) =>
    event.override === true || gateSetBlockers(set, context, atMsOf(event), rulebook).blockers.length === 0;

  const evidence = Object.fromEntries(
    [...EVIDENCE_EVENTS, ...FINDING_EVENTS].map((type) => [type, { actions: 'applyEvidence' as const }]),
  ) as Record<(typeof EVIDENCE_EVENTS)[number] | (typeof FINDING_EVENTS)[number], { actions: 'applyEvidence' }>;

  const region = (name: Region, completion: 'COMPLETE_STUDY' | 'COMPLETE_LISTENING' | 'COMPLETE_CORRECTING', phase: 'stage1' | 'reforging') => ({
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
      active: {
        on: {
          [completion]: {
            guard: { type: 'gatesPass' as const, params: { set: `${phase}.${name}` as GateSetName } },
            target: 'met',
          },
        },
      },
      met: {},
    },
  });

  const allMet = (phase: 'stage1' | 'reforging') =>
    and([
      stateIn({ [phase]: { study: 'met' } }),
      stateIn({ [phase]: { listening: 'met' } }),
      stateIn({ [phase]: { correcting: 'met' } }),
      { type: 'gatesPass', params: { set: `${phase}.requestLookBack` as GateSetName } },
    ]);

  return setup({
    types: {
      context: {} as CampaignContext,
      events: {} as MachineEvent,
      input: {} as CampaignContext,
    },
    guards: {
      gatesPass: ({ context, event }, params: { set: GateSetName }) => passes(params.set, context, event),
      launchAllowed: ({ context, event }) =>
        event.type === 'LAUNCH' && (event.override === true || (event.parentLaunched === true && passes('launch', context, event))),
      isReopened: ({ context }, params: { region: Region }) => context.reopenedRegions.includes(params.region),
      allVerdictsPass: ({ context }) => LOOKBACK_ITEMS.every((item) => context.verdicts[item] === 'PASS'),
      allVerdictsGiven: ({ context }) => LOOKBACK_ITEMS.every((item) => context.verdicts[item] !== undefined),
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
          FILE_STUDY_PLAN: { actions: 'fileStudyPlan' },
          LAUNCH: { guard: 'launchAllowed', target: 'stage1', actions: 'markLaunched' },
        },
      },
      stage1: {
        type: 'parallel',
        on: { ...evidence, REQUEST_LOOKBACK: { guard: allMet('stage1'), target: 'lookBack' } },
        states: {
          study: region('study', 'COMPLETE_STUDY', 'stage1'),
          listening: region('listening', 'COMPLETE_LISTENING', 'stage1'),
          correcting: region('correcting', 'COMPLETE_CORRECTING', 'stage1'),
        },
      },
      lookBack: {
        entry: 'beginLookBackRound',
        on: {
          ...evidence,
          LOOKBACK_VERDICT: { actions: 'recordVerdict' },
          CONCLUDE_LOOKBACK: [
            { guard: 'allVerdictsPass', target: 'stage1Complete' },
            { guard: 'allVerdictsGiven', target: 'reforging', actions: 'beginReforge' },
          ],
        },
      },
      reforging: {
        type: 'parallel',
        on: { ...evidence, REQUEST_LOOKBACK: { guard: allMet('reforging'), target: 'lookBack' } },
        states: {
          study: region('study', 'COMPLETE_STUDY', 'reforging'),
          listening: region('listening', 'COMPLETE_LISTENING', 'reforging'),
          correcting: region('correcting', 'COMPLETE_CORRECTING', 'reforging'),
        },
      },
      stage1Complete: {},
    },
  });
}

export type CampaignMachine = ReturnType<typeof buildCampaignMachine>;

const machines = new WeakMap<Rulebook, CampaignMachine>();

/** The machine of one rulebook (cached per rulebook object: both are immutable). */
export function createCampaignMachine(rulebookOrVersion: Rulebook | number): CampaignMachine {
  const rulebook = typeof rulebookOrVersion === 'number' ? rulebookOf(rulebookOrVersion) : rulebookOrVersion;
  let machine = machines.get(rulebook);
  if (!machine) {
    machine = buildCampaignMachine(rulebook);
    machines.set(rulebook, machine);
  }
  return machine;
}
