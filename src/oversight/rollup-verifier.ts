import type { EventStoreRepository } from '../history/event-store.repository.js';
import type { UnitRow, UnitsRepository } from '../tree/units.repository.js';
import type { ActivityRepository } from './activity.repository.js';
import { add, contributionOf, COUNTERS, zero, type Counters } from './counters.js';
import type { RollupsRepository } from './rollups.repository.js';

/** A rollup that differs from the recount: the counter (or `refused on day N`), what is stored, what was counted. */
export interface RollupDifference {
  unitId: string;
  name: string;
  field: string;
  stored: number;
  recounted: number;
}

export interface RollupVerification {
  units: number;
  differences: RollupDifference[];
}

type Days = Map<number, number>;
const PAGE = 500;

function addDays(into: Days, more: Days | undefined): void {
  for (const [day, n] of more ?? []) into.set(day, (into.get(day) ?? 0) + n);
}

/**
 * Recounts every rollup of a subtree (or of the whole tree) from the units themselves — each one's stored snapshot
 * and its own refused stage events — and reports each counter that differs from what is stored. Two passes: the
 * first sums every unit into its ancestors (a map of the units that have descendants only), the second compares.
 * Meant for a quiet database: a command committed between the passes shows as a difference.
 */
export class RollupVerifier {
  constructor(
    private readonly units: UnitsRepository,
    private readonly states: EventStoreRepository,
    private readonly rollups: RollupsRepository,
    private readonly activity: ActivityRepository,
  ) {}

  async verify(
    rootId: string | null,
    onProgress: (done: number) => void = () => undefined,
  ): Promise<RollupVerification> {
    const root = rootId === null ? null : await this.units.findById(rootId);
    if (rootId !== null && !root) throw new Error(`no unit ${rootId}`);
    const below = new Map<string, Counters>();
    const belowDays = new Map<string, Days>();
    for await (const page of this.pages(root)) {
      const own = await this.own(page);
      for (const unit of page) {
        const { counters, days } = own.get(unit.id)!;
        for (let d = root?.depth ?? 0; d < unit.depth; d++) {
          const ancestor = unit.ancestors[d]!;
          add(below.get(ancestor) ?? below.set(ancestor, zero()).get(ancestor)!, counters);
          addDays(belowDays.get(ancestor) ?? belowDays.set(ancestor, new Map()).get(ancestor)!, days);
        }
      }
    }
    const differences: RollupDifference[] = [];
    let done = 0;
    for await (const page of this.pages(root)) {
      const own = await this.own(page);
      const ids = page.map((u) => u.id);
      const stored = await this.rollups.read(ids);
      const storedDays = await this.rollups.refusalsByDay(ids);
      for (const unit of page) {
        const expected = add({ ...own.get(unit.id)!.counters }, below.get(unit.id) ?? zero());
        const found = stored.get(unit.id) ?? zero();
        const differ = (field: string, s: number, r: number) =>
          s !== r && differences.push({ unitId: unit.id, name: unit.name, field, stored: s, recounted: r });
        if (!stored.has(unit.id)) differ('row', 0, 1);
        for (const k of COUNTERS) differ(k, found[k], expected[k]);
        const expectedDays = new Map(own.get(unit.id)!.days);
        addDays(expectedDays, belowDays.get(unit.id));
        const foundDays = storedDays.get(unit.id) ?? new Map<number, number>();
        for (const day of new Set([...expectedDays.keys(), ...foundDays.keys()]))
          differ(`refused on day ${day}`, foundDays.get(day) ?? 0, expectedDays.get(day) ?? 0);
      }
      done += page.length;
      onProgress(done);
    }
    return { units: done, differences };
  }

  /** What each unit contributes by itself: from its snapshot, and its own refusals. */
  private async own(page: UnitRow[]): Promise<Map<string, { counters: Counters; days: Days }>> {
    const ids = page.map((u) => u.id);
    const states = await this.states.statesByIds(ids);
    const refusals = await this.activity.refusalsOf(ids);
    return new Map(
      page.map((unit) => {
        const state = states.get(unit.id);
        const counters = state ? contributionOf(state.snapshot) : zero();
        const days = refusals.get(unit.id) ?? new Map<number, number>();
        for (const n of days.values()) counters.refused_stage_events += n;
        return [unit.id, { counters, days }];
      }),
    );
  }

  private async *pages(root: UnitRow | null): AsyncGenerator<UnitRow[]> {
    if (root) {
      let page: UnitRow[] = [];
      for await (const unit of this.units.subtreeInTreeOrder(root.id, root.depth, PAGE)) {
        page.push(unit);
        if (page.length === PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
      return;
    }
    let after: string | null = null;
    for (;;) {
      const rows = await this.units.page({}, PAGE, after);
      if (rows.length) yield rows.slice(0, PAGE);
      if (rows.length <= PAGE) return;
      after = rows[PAGE - 1].id;
    }
  }
}
