import { initialSnapshot, RULEBOOK_V1, type StoredSnapshot } from '../../machines/index.js';
import { CommandListeners, type AcceptedChange } from '../commands/command-listeners.js';
import type { Tx } from '../database/db.js';
import type { UnitState } from '../history/event-store.repository.js';
import type { ActivityRepository, Touch } from './activity.repository.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import { RollupMaintainer } from './rollup-maintainer.js';
import type { RollupsRepository } from './rollups.repository.js';

const COUNTY = 'c0000000-0000-7000-8000-000000000000';
const VILLAGE = 'c0000000-0000-7000-8000-000000000001';
const START = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 1 }, RULEBOOK_V1);

function state(value: StoredSnapshot['value'], launchedAt: number | null, version: number): UnitState {
  const snapshot = { ...START, value, context: { ...START.context, launchedAt } } as StoredSnapshot;
  return { unitId: VILLAGE, snapshot, version, rulebookVersion: 1, headHash: 'h', updatedAt: version } as UnitState;
}

/** What the idleness rows are told of an accepted event: the oversight listener with the repositories recorded. */
async function touchesOf(
  before: UnitState,
  after: UnitState,
  depth = 1,
): Promise<{ touches: Touch[]; launches: string[] }> {
  const touches: Touch[] = [];
  const launches: string[] = [];
  const activity = {
    touchAll: async (_tx: Tx, all: readonly Touch[]) => void touches.push(...all),
    parentLaunched: async (_tx: Tx, unitId: string, at: number) => void launches.push(`${unitId}@${at}`),
  } as unknown as ActivityRepository;
  const rollups = { apply: async () => undefined } as unknown as RollupsRepository;
  const change = {
    unit: { id: VILLAGE, parentId: COUNTY, depth, ancestors: [COUNTY, VILLAGE, null, null, null, null] },
    before,
    after,
    event: { at: 5_000 },
  } as unknown as AcceptedChange;
  await new RollupMaintainer(new CommandListeners(), rollups, activity).accepted({} as Tx, change);
  return { touches, launches };
}

describe('what an accepted event tells the idleness rows (laggards)', () => {
  it('a unit done with stage 1 is done (never a laggard again), and not registered', async () => {
    const { touches } = await touchesOf(state('lookBack', 1_000, 9), state('stage1Complete', 1_000, 10));
    expect(touches).toEqual([
      {
        unitId: VILLAGE,
        parentId: null,
        at: 5_000,
        registered: false,
        done: true,
        launchedAt: 1_000,
        samePhase: false,
      },
    ]);
  });

  it('evidence while registered: registered, its parent named (idle since the parent launched), phase kept', async () => {
    const { touches, launches } = await touchesOf(state('registered', null, 1), state('registered', null, 2));
    expect(touches).toEqual([
      {
        unitId: VILLAGE,
        parentId: COUNTY,
        at: 5_000,
        registered: true,
        done: false,
        launchedAt: null,
        samePhase: true,
      },
    ]);
    expect(launches).toEqual([]);
  });

  it('a LAUNCH: no longer registered, the parent named, and its own registered children told', async () => {
    const { touches, launches } = await touchesOf(state('registered', null, 1), state('lookBack', 4_000, 2));
    expect(touches).toEqual([
      {
        unitId: VILLAGE,
        parentId: COUNTY,
        at: 5_000,
        registered: false,
        done: false,
        launchedAt: 4_000,
        samePhase: false,
      },
    ]);
    // at the unit's own launch time (not the event's)
    expect(launches).toEqual([`${VILLAGE}@4000`]);
  });

  it('evidence after the launch tells no children; a launch on the last level has no children to tell', async () => {
    expect((await touchesOf(state('lookBack', 4_000, 3), state('lookBack', 4_000, 4))).launches).toEqual([]);
    const lastLevel = await touchesOf(state('registered', null, 1), state('lookBack', 4_000, 2), MAX_TREE_DEPTH - 1);
    expect(lastLevel.launches).toEqual([]);
    expect(lastLevel.touches).toHaveLength(1);
  });
});
