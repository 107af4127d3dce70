import { initialSnapshot, RULEBOOK_V1, type StoredSnapshot } from '../../machines/index.js';
import { contributionOf } from './counters.js';

const start = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
const at = (value: unknown, context: Partial<StoredSnapshot['context']> = {}): StoredSnapshot => ({
  value,
  context: { ...start.context, ...context },
});

describe('what one unit adds to every rollup it belongs to', () => {
  it('registered: one unit, no points', () => {
    expect(contributionOf(start)).toMatchObject({ units: 1, registered: 1, launched: 0, points: 0 });
  });

  it('stage1: 1 point + 1 per met region, each region state counted', () => {
    const c = contributionOf(
      at({ stage1: { study: 'met', listening: 'active', correcting: 'met' } }, { launchedAt: 1 }),
    );
    expect(c).toMatchObject({
      stage1: 1,
      launched: 1,
      points: 3,
      study_met: 1,
      listening_active: 1,
      correcting_met: 1,
      study_active: 0,
    });
  });

  it('re-forges begun follow the look-back rounds: each round that ended in reforging', () => {
    expect(contributionOf(at('lookBack', { launchedAt: 1, round: 1 }))).toMatchObject({ reforges_begun: 0, points: 5 });
    expect(
      contributionOf(
        at({ reforging: { study: 'active', listening: 'met', correcting: 'met' } }, { launchedAt: 1, round: 1 }),
      ),
    ).toMatchObject({ reforges_begun: 1, reforging: 1, points: 3 });
    expect(contributionOf(at('stage1Complete', { launchedAt: 1, round: 2 }))).toMatchObject({
      reforges_begun: 1,
      stage1_complete: 1,
      points: 6,
    });
  });

  it('open findings: how many, and whether any', () => {
    expect(contributionOf(at('stage1Complete', { openFindingIds: ['f1', 'f2'] }))).toMatchObject({
      open_findings: 2,
      units_with_open_findings: 1,
    });
  });
});
