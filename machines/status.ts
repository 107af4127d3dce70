/**
 * Reading a stored state value: its leaf paths (the one walker), phase, active regions — and, per machine, the
 * table of every configuration the chart has, with the events each handles, built once from the definition.
 */
import type { AnyStateNode } from 'xstate';
import type { CampaignContext } from './context.js';
import type { Rulebook } from './rulebook.js';
import { REGIONS, type Phase, type Region } from './vocabulary.js';

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

/** Sorted leaf paths of a state value: "registered", or "stage1.correcting.active", "stage1.listening.met", … */
export function leafPathsOf(value: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'string') {
      out.push(prefix ? `${prefix}.${node}` : node);
      return;
    }
    if (typeof node !== 'object' || node === null) throw new Error(`Not a state value: ${JSON.stringify(value)}`);
    for (const key of Object.keys(node))
      walk((node as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key);
  };
  walk(value, '');
  return out.sort();
}

export function phaseOf(value: unknown): Phase {
  return (typeof value === 'string' ? value : Object.keys(value as Record<string, unknown>)[0]) as Phase;
}

export function statusOf(s: StoredSnapshot): UnitStatusView {
  return { phase: phaseOf(s.value), activeStates: leafPathsOf(s.value) };
}

/** Regions still `active` in a parallel phase (stage1 or reforging); none in any other phase. */
export function activeRegionsOf(value: unknown): Region[] {
  if (typeof value !== 'object' || value === null) return [];
  const regions = (value as Record<string, Record<string, string>>)[phaseOf(value)];
  return REGIONS.filter((region) => regions[region] === 'active');
}

/** One configuration of the chart: its leaves and every event some active state node handles. */
export interface Configuration {
  readonly leaves: readonly string[];
  readonly handled: ReadonlySet<string>;
}

interface Chart {
  readonly id: string;
  readonly root: AnyStateNode;
}

function leafSetsOf(node: AnyStateNode): string[][] {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) return [[node.path.join('.')]];
  if (node.type === 'parallel') {
    return children.reduce<string[][]>(
      (sets, child) => sets.flatMap((set) => leafSetsOf(child).map((more) => [...set, ...more])),
      [[]],
    );
  }
  return children.flatMap(leafSetsOf);
}

function handledBy(root: AnyStateNode, leaves: readonly string[]): Set<string> {
  const handled = new Set<string>(root.ownEvents);
  for (const leaf of leaves) {
    let node = root;
    for (const segment of leaf.split('.')) {
      node = node.states[segment];
      for (const type of node.ownEvents) handled.add(type);
    }
  }
  return handled;
}

/** The state value whose leaves these are, keys in the order given. */
function valueOfLeaves(leaves: readonly string[]): unknown {
  if (leaves.length === 1 && !leaves[0].includes('.')) return leaves[0];
  const value: Record<string, unknown> = {};
  for (const leaf of leaves) {
    const segments = leaf.split('.');
    let node = value;
    for (const segment of segments.slice(0, -2)) node = (node[segment] ??= {}) as Record<string, unknown>;
    node[segments[segments.length - 2]] = segments[segments.length - 1];
  }
  return value;
}

interface ChartTable {
  /** by sorted leaf paths: any key order */
  readonly byLeaves: ReadonlyMap<string, Configuration>;
  /** by the JSON of the value as the machine itself writes it (keys in the chart's order): no sorting on the hot path */
  readonly byJson: ReadonlyMap<string, Configuration>;
}

const tables = new WeakMap<Chart, ChartTable>();

/** Every configuration of the chart (a few dozen), computed once per machine from its definition. */
function tableOf(chart: Chart): ChartTable {
  let table = tables.get(chart);
  if (!table) {
    const byLeaves = new Map<string, Configuration>();
    const byJson = new Map<string, Configuration>();
    for (const inChartOrder of leafSetsOf(chart.root)) {
      const leaves = Object.freeze([...inChartOrder].sort());
      const configuration = { leaves, handled: handledBy(chart.root, leaves) };
      byLeaves.set(leaves.join(' '), configuration);
      byJson.set(JSON.stringify(valueOfLeaves(inChartOrder)), configuration);
    }
    tables.set(chart, (table = { byLeaves, byJson }));
  }
  return table;
}

/** The configuration a stored value is in; a value that is none of the chart's is an error, not a guess. */
export function configurationOf(chart: Chart, value: unknown): Configuration {
  const table = tableOf(chart);
  const configuration =
    table.byJson.get(JSON.stringify(value) as string) ?? table.byLeaves.get(leafPathsOf(value).join(' '));
  if (!configuration) throw new Error(`${JSON.stringify(value)} is not a state of ${chart.id}.`);
  return configuration;
}

/** A snapshot runs under the rulebook it records; handing it another is the caller's bug (migration is explicit). */
export function assertSnapshotUnder(stored: StoredSnapshot, rulebook: Rulebook): void {
  const version = stored?.context?.rulebookVersion;
  if (version !== rulebook.version) {
    throw new Error(
      `The snapshot runs under rulebook v${String(version)}, but was handed rulebook v${String(rulebook?.version)}.`,
    );
  }
}
