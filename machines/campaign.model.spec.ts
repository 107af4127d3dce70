/**
 * Model-based: @xstate/graph walks the machine itself (stage events under admin override, so that the walk
 * explores the chart's structure; the gates have their own specs), and every generated path is replayed
 * through `step` to prove the public API reaches the same states — and through `stepByPublicApi`, to prove
 * the fast step gives exactly what xstate's documented serverless API gives, step by step.
 */
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { createCampaignMachine } from './campaign.machine.js';
import { initialContext } from './context.js';
import type { MachineEvent } from './events.js';
import { BUILT_IN_RULEBOOKS } from './built-in-rulebooks.js';
import type { Rulebook } from './rulebook.js';
import { day } from './spec-support.js';
import { leafPathsOf, type StoredSnapshot } from './status.js';
import { initialSnapshot, step, stepByPublicApi, type StepResult } from './step.js';
import { LOOKBACK_ITEMS, VERDICTS } from './vocabulary.js';

describe.each(BUILT_IN_RULEBOOKS.map((r) => [`v${r.version}`, r] as const))(
  'rulebook %s',
  (_version, rulebook: Rulebook) => {
    const machine = createCampaignMachine(rulebook);
    const at = day(400);
    const EVENTS: MachineEvent[] = [
      { type: 'LAUNCH', parentLaunched: true, at, override: true },
      { type: 'COMPLETE_STUDY', at, override: true },
      { type: 'COMPLETE_LISTENING', at, override: true },
      { type: 'COMPLETE_CORRECTING', at, override: true },
      { type: 'REQUEST_LOOKBACK', at, override: true },
      { type: 'CONCLUDE_LOOKBACK', at, override: true },
      ...LOOKBACK_ITEMS.flatMap((item) =>
        VERDICTS.map((verdict): MachineEvent => ({ type: 'LOOKBACK_VERDICT', item, verdict, at })),
      ),
    ];
    const profile = { kind: 'GRASSROOTS', leaderCount: 0 } as const;
    const options = {
      input: initialContext(profile, rulebook),
      events: EVENTS,
      // the state configuration, plus what decides the next move: the verdicts in lookBack (where CONCLUDE goes),
      // the reopened regions in reforging
      serializeState: (s: {
        value: unknown;
        context: { verdicts: Record<string, string>; reopenedRegions: string[] };
      }) =>
        JSON.stringify([
          s.value,
          s.value === 'lookBack' ? LOOKBACK_ITEMS.map((item) => s.context.verdicts[item] ?? '-').join(',') : null,
          typeof s.value === 'object' && s.value !== null && 'reforging' in s.value ? s.context.reopenedRegions : null,
        ]),
    };
    const key = (value: unknown) => leafPathsOf(value).join(' ');

    /** Replays a path through `step`; every step is also taken by `stepByPublicApi` and must give the identical result. */
    function replay(events: MachineEvent[]): StoredSnapshot {
      let snapshot = initialSnapshot(profile, rulebook);
      for (const { override, ...event } of events) {
        const result: StepResult = step(snapshot, event as never, rulebook, { override });
        const viaPublicApi: StepResult = stepByPublicApi(
          JSON.parse(JSON.stringify(snapshot)),
          event as never,
          rulebook,
          { override },
        );
        expect(JSON.stringify(viaPublicApi)).toBe(JSON.stringify(result));
        if (!result.ok) throw new Error(`${event.type} refused: ${JSON.stringify(result)}`);
        snapshot = result.snapshot;
      }
      return snapshot;
    }

    describe('the chart, walked by @xstate/graph', () => {
      const adjacency = getAdjacencyMap(machine, options as never);
      const edges = adjacencyMapToArray(adjacency) as Array<{
        state: { value: unknown };
        event: MachineEvent;
        nextState: { value: unknown };
      }>;
      const paths = getShortestPaths(machine, options as never);

      it('walks a small graph: 1 + 8 + 3⁴ verdict sets in lookBack + 1 + 26 (reopened set × configuration) re-forge nodes', () => {
        expect(Object.keys(adjacency)).toHaveLength(1 + 8 + 81 + 1 + 26);
      });

      it('reaches exactly the 19 state configurations of the chart', () => {
        const configurations = new Set(paths.map((p) => key(p.state.value)));
        // registered 1 + stage1 2³ + lookBack 1 + reforging 2³ + stage1Complete 1
        expect(configurations.size).toBe(19);
        expect([...configurations].filter((c) => c.startsWith('stage1.'))).toHaveLength(8);
        expect([...configurations].filter((c) => c.startsWith('reforging.'))).toHaveLength(8);
        expect(configurations).toContain('registered');
        expect(configurations).toContain('lookBack');
        expect(configurations).toContain('stage1Complete');
      });

      it('takes exactly the 35 stage transitions of the chart', () => {
        const transitions = new Set(
          edges
            .filter((e) => key(e.state.value) !== key(e.nextState.value))
            .map((e) => `${key(e.state.value)} --${e.event.type}--> ${key(e.nextState.value)}`),
        );
        // LAUNCH 1 + region completions in stage1 3×4 + REQUEST_LOOKBACK 2 + CONCLUDE → stage1Complete 1
        // + CONCLUDE → reforging with each non-empty reopened set 7 + region completions in reforging 3×4
        expect(transitions.size).toBe(35);
        expect([...transitions].filter((t) => t.includes('--CONCLUDE_LOOKBACK--> reforging'))).toHaveLength(7);
        // nothing leaves stage1Complete, and no event skips from stage1 or reforging straight to an end
        expect([...transitions].filter((t) => t.startsWith('stage1Complete'))).toEqual([]);
        expect(
          [...transitions].filter(
            (t) => t.startsWith('stage1.') && !t.endsWith('lookBack') && !t.includes('--> stage1.'),
          ),
        ).toEqual([]);
      });

      it('every shortest path replays through step() to the same configuration', () => {
        for (const path of paths) {
          const snapshot = replay(
            path.steps.map((s) => s.event as MachineEvent).filter((e) => e.type !== ('xstate.init' as never)),
          );
          expect(key(snapshot.value)).toBe(key(path.state.value));
        }
      });

      it('every transition replays through step(): shortest path to its source, then the event', () => {
        const pathTo = new Map(paths.map((p) => [options.serializeState(p.state as never), p]));
        const moving = edges.filter(
          (e) => options.serializeState(e.state as never) !== options.serializeState(e.nextState as never),
        );
        expect(moving.length).toBeGreaterThan(35);
        for (const edge of moving) {
          const head = pathTo.get(options.serializeState(edge.state as never));
          if (!head) throw new Error('unreachable source');
          const events = [
            ...head.steps.map((s) => s.event as MachineEvent).filter((e) => e.type !== ('xstate.init' as never)),
            edge.event,
          ];
          expect(key(replay(events).value)).toBe(key(edge.nextState.value));
        }
      });
    });
  },
);
