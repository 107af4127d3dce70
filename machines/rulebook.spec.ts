import { jest } from '@jest/globals';
import { createCampaignMachine } from './campaign.machine.js';
import { explain, progress } from './explain.js';
import { ALL_VERDICTS, STAGE_DWELL } from './gates/stage.js';
import { renderMermaid } from './mermaid.js';
import type { KindRules, Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { day, launchedUnit, opinion, Unit, correctingEvidence } from './spec-support.js';
import { initialSnapshot, step, stepByPublicApi, type StepResult } from './step.js';
import { LOOKBACK_ITEMS } from './vocabulary.js';

const codes = (r: StepResult) => (r.ok ? [] : r.failure === 'BLOCKED' ? r.blockers.map((b) => b.code) : [r.failure]);

/** v1's document with other numbers: what an admin may publish as a new version. */
function variant(version: number, grassroots: Partial<KindRules['listening']> = {}): Rulebook {
  const copy = JSON.parse(JSON.stringify(RULEBOOK_V1)) as Rulebook;
  const kinds = copy.kinds as Record<string, KindRules>;
  kinds.GRASSROOTS = { ...kinds.GRASSROOTS, listening: { ...kinds.GRASSROOTS.listening, ...grassroots } };
  return { ...copy, version };
}

describe('a rulebook is data the caller hands in', () => {
  it('is plain JSON: what is stored is what runs', () => {
    expect(JSON.parse(JSON.stringify(RULEBOOK_V1))).toEqual(RULEBOOK_V1);
    expect(RULEBOOK_V1).toMatchObject({ version: 1, ruleset: 1 });
  });

  it('runs a document it has never seen: a published v2 of v1 with 6 opinions for villages', () => {
    const v2 = variant(2, { minOpinions: 6 });
    const unit = launchedUnit('GRASSROOTS', 0, v2);
    for (let i = 0; i < 5; i++) unit.send(opinion(1));
    expect(unit.snapshot.context.rulebookVersion).toBe(2);
    expect(codes(unit.try({ type: 'COMPLETE_LISTENING', at: day(2) }))).toEqual(['OPINIONS_SHORT']);
    expect(progress(unit.snapshot, day(2), v2).find((line) => line.code === 'OPINIONS_SHORT')).toMatchObject({
      required: '6 opinions',
      actual: '5',
    });
    unit.send(opinion(1));
    expect(unit.try({ type: 'COMPLETE_LISTENING', at: day(2) }).ok).toBe(true);
    expect(renderMermaid(v2)).toContain('lookback-campaign-v2');
  });

  it('refuses a snapshot handed a rulebook other than the one it runs under', () => {
    const s = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
    const v2 = variant(2);
    const message = 'The snapshot runs under rulebook v1, but was handed rulebook v2.';
    expect(() => step(s, { type: 'FILE_STUDY_PLAN', topics: ['t'], plannedDays: 1, at: day(0) }, v2)).toThrow(message);
    expect(() => explain(s, day(0), v2)).toThrow(message);
    expect(() => progress(s, day(0), v2)).toThrow(message);
  });
});

describe('machines are cached per rulebook content', () => {
  it('equal content shares a machine; a different number under the same version does not', () => {
    const a = variant(5);
    const b = variant(5);
    const c = variant(5, { minOpinions: 9 });
    expect(createCampaignMachine(a)).toBe(createCampaignMachine(b));
    expect(createCampaignMachine(c)).not.toBe(createCampaignMachine(a));
  });

  it('freezes a document it runs, so that its machine cannot go stale', () => {
    const a = variant(6);
    createCampaignMachine(a);
    expect(Object.isFrozen(a.kinds.GRASSROOTS.listening)).toBe(true);
    expect(() => {
      (a.kinds.GRASSROOTS.listening as { minOpinions: number }).minOpinions = 1;
    }).toThrow(TypeError);
  });

  it('keeps a bounded number of machines: the least recently used goes first', () => {
    const first = createCampaignMachine(variant(100));
    expect(createCampaignMachine(variant(100))).toBe(first);
    // sixteen rulebooks, the first of them the least recently used: all sixteen kept
    for (let version = 101; version <= 115; version++) createCampaignMachine(variant(version));
    expect(createCampaignMachine(variant(100))).toBe(first);
    // sixteen more after it: the seventeenth most recent goes
    for (let version = 116; version <= 131; version++) createCampaignMachine(variant(version));
    expect(createCampaignMachine(variant(100))).not.toBe(first);
  });
});

describe('gates are judged once per step', () => {
  const allMet = () => {
    const unit = launchedUnit('NON_PUBLIC_SOCIAL', 0);
    for (const type of ['COMPLETE_STUDY', 'COMPLETE_LISTENING'] as const)
      unit.send({ type, at: day(1) }, { override: true });
    correctingEvidence(1).forEach((e) => unit.send(e));
    return unit.send({ type: 'COMPLETE_CORRECTING', at: day(1) });
  };

  it.each([
    ['step', step],
    ['stepByPublicApi', stepByPublicApi],
  ])('%s: the guard judges, and a refusal is explained by that very judgement', (_name, run) => {
    const unit = new Unit(allMet().snapshot, RULEBOOK_V1, run);
    const dwell = jest.spyOn(STAGE_DWELL, 'check');
    try {
      expect(codes(unit.try({ type: 'REQUEST_LOOKBACK', at: day(6) }))).toEqual(['STAGE_DWELL']);
      expect(dwell).toHaveBeenCalledTimes(1);
      dwell.mockClear();
      unit.send({ type: 'REQUEST_LOOKBACK', at: day(7) });
      expect(dwell).toHaveBeenCalledTimes(1);
    } finally {
      dwell.mockRestore();
    }
    const verdicts = jest.spyOn(ALL_VERDICTS, 'check');
    try {
      // CONCLUDE_LOOKBACK has two guarded branches over the same gate set: still one judgement
      LOOKBACK_ITEMS.forEach((item) =>
        unit.send({ type: 'LOOKBACK_VERDICT', item, verdict: item === 'STYLE' ? 'FAIL' : 'PASS', at: day(7) }),
      );
      unit.send({ type: 'CONCLUDE_LOOKBACK', at: day(8) });
      expect(unit.states).toEqual([
        'reforging.correcting.active',
        'reforging.listening.active',
        'reforging.study.active',
      ]);
      expect(verdicts).toHaveBeenCalledTimes(1);
    } finally {
      verdicts.mockRestore();
    }
  });
});
