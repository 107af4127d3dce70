/**
 * The gates of the stage and the look-back: dwell times, open findings, the four verdicts, and the one
 * structural condition read off the state configuration rather than the context (every region met).
 */
import { LOOKBACK_ITEMS, REGIONS, type Region } from '../vocabulary.js';
import { always, dwell, kindRules, plural, type Blocker, type GateDefinition } from './evaluator.js';

export const STAGE_DWELL: GateDefinition = {
  code: 'STAGE_DWELL',
  scope: 'stage',
  label: 'stage dwell since launch',
  dwell: true,
  applies: (c, r) => kindRules(c, r).stageDwellDays > 0,
  check: (c, at, r) => dwell(c.launchedAt, kindRules(c, r).stageDwellDays, at, 'Minimum stage time since launch'),
};

export const REWORK_DWELL: GateDefinition = {
  code: 'REWORK_DWELL',
  scope: 'stage',
  label: 'rework dwell since the re-forge began',
  dwell: true,
  applies: (_c, r) => r.reworkDwellDays > 0,
  check: (c, at, r) => dwell(c.reforgeStartedAt, r.reworkDwellDays, at, 'Minimum rework time since the re-forge began'),
};

export const NO_OPEN_FINDING: GateDefinition = {
  code: 'OPEN_FINDINGS',
  scope: 'stage',
  label: 'open supervision findings',
  applies: always,
  check: (c) => {
    const n = c.openFindingIds.length;
    return {
      met: n === 0,
      required: '0 open',
      actual: String(n),
      message: `${plural(n, 'supervision finding')} still open${n ? `: ${c.openFindingIds.slice(0, 5).join(', ')}` : ''}; respond and have a supervisor resolve them.`,
    };
  },
};

/** Structural: without four verdicts CONCLUDE_LOOKBACK has nowhere to go, override or not. */
export const ALL_VERDICTS: GateDefinition = {
  code: 'VERDICTS_MISSING',
  scope: 'lookBack',
  label: 'look-back items with a verdict',
  structural: true,
  applies: always,
  check: (c) => {
    const missing = LOOKBACK_ITEMS.filter((item) => c.verdicts[item] === undefined);
    return {
      met: missing.length === 0,
      required: `${LOOKBACK_ITEMS.length} verdicts`,
      actual: String(LOOKBACK_ITEMS.length - missing.length),
      message: missing.length ? `No verdict yet on: ${missing.join(', ')}.` : 'All four items have a verdict.',
    };
  },
};

/** Structural, from the state configuration: REQUEST_LOOKBACK needs every region `met` (no override skips a state). */
export function regionsNotMetBlockers(activeRegions: readonly Region[]): Blocker[] {
  if (activeRegions.length === 0) return [];
  return [
    {
      code: 'REGIONS_NOT_MET',
      message: `Regions not yet met: ${activeRegions.join(', ')}; complete each before asking for the look-back.`,
      required: `${REGIONS.length} regions met`,
      actual: `${REGIONS.length - activeRegions.length} met`,
    },
  ];
}
