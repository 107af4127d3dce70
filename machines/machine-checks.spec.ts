/**
 * The machine itself, as the package exports it: run by xstate's own API with the events as a caller sends them
 * (no parsed instants, no gate log: those are what `step` adds), and what each ruleset's machine records where.
 */
import { initialTransition, transition } from 'xstate';
import { createCampaignMachine } from './campaign.machine.js';
import { initialContext } from './context.js';
import type { MachineEvent } from './events.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import { initialSnapshot, step } from './step.js';

const LAUNCH_AT = '2014-02-01T01:00:00Z';

describe('the machine without `step`', () => {
  const machine = createCampaignMachine(RULEBOOK_V1);
  const registered = () => {
    const [s0] = initialTransition(machine, initialContext({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1));
    const [s] = transition(machine, s0, {
      type: 'FILE_STUDY_PLAN',
      topics: ['党章'],
      plannedDays: 2,
      at: '2014-01-31T01:00:00Z',
    } as MachineEvent);
    return s;
  };

  it('launches on a plain event: the instant read from `at`, the parent’s launch from the event', () => {
    const [launched] = transition(machine, registered(), {
      type: 'LAUNCH',
      parentLaunched: true,
      at: LAUNCH_AT,
    } as MachineEvent);
    expect(launched.value).toStrictEqual({ stage1: { study: 'active', listening: 'active', correcting: 'active' } });
    const at = Date.parse(LAUNCH_AT);
    expect(launched.context).toMatchObject({
      studyPlanFiled: true,
      launchedAt: at,
      windowStart: { study: at, listening: at, correcting: at },
    });
    const [waiting] = transition(machine, registered(), {
      type: 'LAUNCH',
      parentLaunched: false,
      at: LAUNCH_AT,
    } as MachineEvent);
    expect(waiting.value).toBe('registered');
  });

  it('judges a completion on a plain event by the gates, at the event’s instant', () => {
    const [launched] = transition(machine, registered(), {
      type: 'LAUNCH',
      parentLaunched: true,
      at: LAUNCH_AT,
    } as MachineEvent);
    const [blocked] = transition(machine, launched, { type: 'COMPLETE_CORRECTING', at: LAUNCH_AT } as MachineEvent);
    expect(blocked.value).toStrictEqual(launched.value);
  });
});

describe('findings outside the running stage', () => {
  it('ruleset 2 records a finding, and its resolution, before the launch', () => {
    const s = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V2);
    const issued = step(
      s,
      { type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: LAUNCH_AT },
      RULEBOOK_V2,
    );
    if (!issued.ok) throw new Error(JSON.stringify(issued));
    expect(issued.snapshot.context.openFindingIds).toStrictEqual(['f']);
    expect(issued.status.activeStates).toStrictEqual(['registered']);
    const resolved = step(issued.snapshot, { type: 'FINDING_RESOLVED', findingId: 'f', at: LAUNCH_AT }, RULEBOOK_V2);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved));
    expect(resolved.snapshot.context.openFindingIds).toStrictEqual([]);
  });

  it('ruleset 1 does not', () => {
    const s = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
    expect(
      step(s, { type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: LAUNCH_AT }, RULEBOOK_V1),
    ).toStrictEqual({
      ok: false,
      failure: 'NOT_ALLOWED_IN_STATE',
      message: 'FINDING_ISSUED is not allowed in registered.',
      activeStates: ['registered'],
    });
  });
});

describe('step refuses before the machine moves', () => {
  const s = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, RULEBOOK_V1);
  it('what is not an event of the campaign, naming the type it got', () => {
    const unknown = (type: string) => ({
      ok: false,
      failure: 'INVALID_INPUT',
      message: `Unknown event type ${type}.`,
      field: 'type',
    });
    expect(step(s, null as never, RULEBOOK_V1)).toStrictEqual(unknown('undefined'));
    expect(step(s, 'LAUNCH' as never, RULEBOOK_V1)).toStrictEqual(unknown('undefined'));
    expect(step(s, { type: 'DANCE', at: LAUNCH_AT } as never, RULEBOOK_V1)).toStrictEqual(unknown('"DANCE"'));
  });
  it('an event the state does not handle, naming every active state', () => {
    const launched = step(
      { ...s, context: { ...s.context, studyPlanFiled: true } },
      { type: 'LAUNCH', parentLaunched: true, at: LAUNCH_AT },
      RULEBOOK_V1,
    );
    if (!launched.ok) throw new Error(JSON.stringify(launched));
    expect(
      step(
        launched.snapshot,
        { type: 'FILE_STUDY_PLAN', topics: ['党章'], plannedDays: 1, at: LAUNCH_AT },
        RULEBOOK_V1,
      ),
    ).toStrictEqual({
      ok: false,
      failure: 'NOT_ALLOWED_IN_STATE',
      message:
        'FILE_STUDY_PLAN is not allowed in stage1.correcting.active, stage1.listening.active, stage1.study.active.',
      activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.active'],
    });
  });
});
