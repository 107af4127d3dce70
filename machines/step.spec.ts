import { builtInRulebook, BUILT_IN_RULEBOOKS } from './built-in-rulebooks.js';
import { localDate, parseInstant } from './calendar.js';
import { STAGE_EVENTS } from './events.js';
import { explain, progress } from './explain.js';
import { renderMermaid } from './mermaid.js';
import type { Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import {
  DAY,
  T0,
  Unit,
  day,
  launchedUnit,
  listeningEvidence,
  opinion,
  correctingEvidence,
  studyEvidence,
  session,
} from './spec-support.js';
import { statusOf, type StoredSnapshot } from './status.js';
import { initialSnapshot, step } from './step.js';

const R = RULEBOOK_V1;

describe('initialSnapshot and statusOf', () => {
  it('starts in registered, with the rulebook version in the context', () => {
    const s = initialSnapshot({ kind: 'LEADERSHIP_BODY', leaderCount: 3 }, R);
    expect(statusOf(s)).toEqual({ phase: 'registered', activeStates: ['registered'] });
    expect(s.context.rulebookVersion).toBe(R.version);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
  it('refuses an unknown kind, a bad leader count, or a rulebook this build cannot run', () => {
    expect(() => initialSnapshot({ kind: 'NOPE' as never, leaderCount: 0 }, R)).toThrow(/Unknown unit kind/);
    expect(() => initialSnapshot({ kind: 'GRASSROOTS', leaderCount: -1 }, R)).toThrow(/leaderCount/);
    expect(() =>
      initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, { ...R, version: 7, ruleset: 9 } as unknown as Rulebook),
    ).toThrow(/rulebook v7 asks for ruleset 9/);
    expect(() =>
      initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, { ...R, version: 8, timeZone: 'Mars/Olympus' }),
    ).toThrow(/time zone/);
  });
  it('lists sorted leaf paths of a parallel state', () => {
    const unit = launchedUnit('GRASSROOTS');
    expect(statusOf(unit.snapshot)).toEqual({
      phase: 'stage1',
      activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.active'],
    });
  });
});

describe('events accepted only where the campaign allows them', () => {
  it('no evidence before LAUNCH, no study plan after it, no verdict outside lookBack', () => {
    const fresh = new Unit(initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, R));
    const r = fresh.try(session('GROUP_DISCUSSION', 0));
    expect(r).toMatchObject({ ok: false, failure: 'NOT_ALLOWED_IN_STATE', activeStates: ['registered'] });
    expect(fresh.try({ type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: day(0) })).toMatchObject({
      failure: 'NOT_ALLOWED_IN_STATE',
    });
    fresh
      .send({ type: 'FILE_STUDY_PLAN', topics: ['a'], plannedDays: 2, at: day(0) })
      .send({ type: 'FILE_STUDY_PLAN', topics: ['b'], plannedDays: 3, at: day(0) });
    const unit = launchedUnit('GRASSROOTS');
    expect(unit.try({ type: 'FILE_STUDY_PLAN', topics: ['a'], plannedDays: 2, at: day(1) })).toMatchObject({
      failure: 'NOT_ALLOWED_IN_STATE',
    });
    expect(unit.try({ type: 'LOOKBACK_VERDICT', item: 'STUDY', verdict: 'PASS', at: day(1) })).toMatchObject({
      failure: 'NOT_ALLOWED_IN_STATE',
    });
    expect(unit.try({ type: 'CONCLUDE_LOOKBACK', at: day(1) })).toMatchObject({ failure: 'NOT_ALLOWED_IN_STATE' });
    expect(unit.try({ type: 'LAUNCH', parentLaunched: true, at: day(1) })).toMatchObject({
      failure: 'NOT_ALLOWED_IN_STATE',
    });
  });

  it('a met region does not take its completion event again', () => {
    const unit = launchedUnit('NON_PUBLIC_SOCIAL');
    correctingEvidence(0).forEach((e) => unit.send(e));
    unit.send({ type: 'COMPLETE_CORRECTING', at: day(0) });
    expect(unit.try({ type: 'COMPLETE_CORRECTING', at: day(1) })).toMatchObject({ failure: 'NOT_ALLOWED_IN_STATE' });
  });
});

describe('INVALID_INPUT', () => {
  const unit = () => launchedUnit('DIRECT_UNIT');
  it.each([
    [{ ...session('CONCENTRATED', 1), occurredAt: day(2) }, 'occurredAt', /future/],
    [{ ...session('CONCENTRATED', 1), occurredAt: day(-0.1) }, 'occurredAt', /before the unit's launch/],
    [{ ...session('CONCENTRATED', 1), occurredAt: '2014-02-02' }, 'occurredAt', /ISO-8601/],
    [{ ...session('CONCENTRATED', 1), at: 'yesterday' }, 'at', /ISO-8601/],
    [{ ...session('CONCENTRATED', 1), hours: 0 }, 'hours', /hours/],
    [{ ...session('CONCENTRATED', 1), attendees: 0 }, 'attendees', /attendees/],
    [{ ...session('CONCENTRATED', 1), format: 'NAP' }, 'format', /one of/],
    [{ type: 'OPINION_CLAIMED', opinionId: 'nope', at: day(1) }, 'opinionId', /not an unclaimed/],
    [
      { type: 'PROBLEM_RECTIFIED', problemId: 'nope', occurredAt: day(1), at: day(1) },
      'problemId',
      /not an open problem/,
    ],
    [{ type: 'FINDING_RESOLVED', findingId: 'nope', at: day(1) }, 'findingId', /not an open finding/],
    [{ type: 'FINDING_ISSUED', findingId: 'f', kind: 'RUDE', at: day(1) }, 'kind', /one of/],
    [
      { type: 'PROBLEM_IDENTIFIED', problemId: 'p', category: 'x', fixAtOnce: 'yes', at: day(1) },
      'fixAtOnce',
      /boolean/,
    ],
    [{ type: 'PARTY_LECTURE', lecturer: ' ', occurredAt: day(1), at: day(1) }, 'lecturer', /non-empty/],
  ])('refuses %j (field %s)', (event, field, message) => {
    const r = unit().try(event as never);
    expect(r).toMatchObject({ ok: false, failure: 'INVALID_INPUT', field, message: expect.stringMatching(message) });
  });

  it('refuses an unknown event type and a second open problem or finding with the same id', () => {
    expect(unit().try({ type: 'DANCE', at: day(1) } as never)).toMatchObject({
      failure: 'INVALID_INPUT',
      field: 'type',
    });
    const u = unit().send({ type: 'PROBLEM_IDENTIFIED', problemId: 'p', category: 'x', fixAtOnce: false, at: day(1) });
    expect(
      u.try({ type: 'PROBLEM_IDENTIFIED', problemId: 'p', category: 'x', fixAtOnce: false, at: day(1) }),
    ).toMatchObject({ failure: 'INVALID_INPUT', field: 'problemId' });
    u.send({ type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: day(1) });
    expect(u.try({ type: 'FINDING_ISSUED', findingId: 'f', kind: 'LAZY_THINKING', at: day(1) })).toMatchObject({
      failure: 'INVALID_INPUT',
      field: 'findingId',
    });
  });

  it('leaves the snapshot untouched when refusing', () => {
    const u = unit();
    const before = JSON.stringify(u.snapshot);
    u.try({ ...session('CONCENTRATED', 1), occurredAt: day(2) });
    expect(JSON.stringify(u.snapshot)).toBe(before);
  });
});

describe('admin override', () => {
  it('lifts gate blockers of a stage event', () => {
    const unit = launchedUnit('LEADERSHIP_BODY');
    const r = unit.try({ type: 'COMPLETE_STUDY', at: day(1) }, { override: true });
    expect(r.ok && r.status.activeStates).toContain('stage1.study.met');
  });
  it('never lets an event fire where the state does not handle it, nor skip a region', () => {
    const unit = launchedUnit('LEADERSHIP_BODY');
    expect(unit.try({ type: 'CONCLUDE_LOOKBACK', at: day(1) }, { override: true })).toMatchObject({
      failure: 'NOT_ALLOWED_IN_STATE',
    });
    const r = unit.try({ type: 'REQUEST_LOOKBACK', at: day(1) }, { override: true });
    expect(r).toMatchObject({
      ok: false,
      failure: 'BLOCKED',
      blockers: [expect.objectContaining({ code: 'REGIONS_NOT_MET' })],
      earliestAt: null,
    });
  });
  it('cannot conclude a look-back without the four verdicts', () => {
    const unit = launchedUnit('NON_PUBLIC_SOCIAL');
    for (const type of ['COMPLETE_STUDY', 'COMPLETE_LISTENING', 'COMPLETE_CORRECTING', 'REQUEST_LOOKBACK'] as const)
      unit.send({ type, at: day(1) }, { override: true });
    expect(unit.states).toEqual(['lookBack']);
    unit.send({ type: 'LOOKBACK_VERDICT', item: 'STUDY', verdict: 'PASS', at: day(1) });
    expect(unit.try({ type: 'CONCLUDE_LOOKBACK', at: day(1) }, { override: true })).toMatchObject({
      failure: 'BLOCKED',
      blockers: [expect.objectContaining({ code: 'VERDICTS_MISSING', actual: '1' })],
    });
  });
  it('lets an admin launch a unit whose parent has not launched (flagged by the engine)', () => {
    const unit = new Unit(initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, R));
    expect(unit.try({ type: 'LAUNCH', parentLaunched: false, at: day(0) }, { override: true }).ok).toBe(true);
  });
});

describe('explain', () => {
  it('lists every stage event in order, NOT_ALLOWED_IN_STATE for those the state does not handle', () => {
    const s = initialSnapshot({ kind: 'GRASSROOTS', leaderCount: 0 }, R);
    const options = explain(s, day(0), R, { parentLaunched: true });
    expect(options.map((o) => o.event)).toEqual([...STAGE_EVENTS]);
    expect(options[0]).toEqual({
      event: 'LAUNCH',
      allowed: false,
      blockers: [expect.objectContaining({ code: 'STUDY_PLAN_MISSING' })],
      earliestAt: null,
    });
    for (const o of options.slice(1)) expect(o.blockers.map((b) => b.code)).toEqual(['NOT_ALLOWED_IN_STATE']);
    expect(explain(s, day(0), R)[0].blockers.map((b) => b.code)).toEqual(['STUDY_PLAN_MISSING', 'PARENT_NOT_LAUNCHED']);
  });

  it('gives earliestAt only when dwell blockers alone remain: the latest of their due moments', () => {
    const unit = launchedUnit('LEADERSHIP_BODY');
    studyEvidence('LEADERSHIP_BODY', 2, 0).forEach((e) => unit.send(e));
    const study = explain(unit.snapshot, day(4.5), R).find((o) => o.event === 'COMPLETE_STUDY');
    expect(study).toEqual({
      event: 'COMPLETE_STUDY',
      allowed: false,
      blockers: [expect.objectContaining({ code: 'STUDY_DWELL' })],
      earliestAt: day(5),
    });
    expect(explain(unit.snapshot, day(5), R).find((o) => o.event === 'COMPLETE_STUDY')).toEqual({
      event: 'COMPLETE_STUDY',
      allowed: true,
      blockers: [],
      earliestAt: null,
    });
  });

  it('agrees with step: allowed ⇔ step succeeds', () => {
    const unit = launchedUnit('DIRECT_UNIT');
    [...studyEvidence('DIRECT_UNIT', 0, 0), ...listeningEvidence('DIRECT_UNIT', 1)].forEach((e) => unit.send(e));
    for (const at of [day(1), day(3), day(20)]) {
      for (const option of explain(unit.snapshot, at, R, { parentLaunched: true })) {
        const event =
          option.event === 'LAUNCH' ? { type: option.event, parentLaunched: true, at } : { type: option.event, at };
        expect(step(unit.snapshot, event as never, R).ok).toBe(option.allowed);
      }
    }
  });
});

describe('progress', () => {
  it('a line per gate condition of the kind, with required and actual', () => {
    const unit = launchedUnit('LEADERSHIP_BODY', 2);
    [0, 1, 2].forEach((d) => unit.send(session('CONCENTRATED', d)));
    const lines = progress(unit.snapshot, day(3), R);
    expect(lines.find((l) => l.code === 'CONCENTRATED_DAYS_SHORT')).toEqual({
      region: 'study',
      code: 'CONCENTRATED_DAYS_SHORT',
      label: 'concentrated study days',
      required: '5 distinct days',
      actual: '3',
      met: false,
    });
    expect(lines.map((l) => l.code)).toEqual([
      'CONCENTRATED_DAYS_SHORT',
      'THEMATIC_SEMINARS_SHORT',
      'LECTURERS_SHORT',
      'STUDY_DWELL',
      'OPINIONS_SHORT',
      'FACE_TO_FACE_SHARE_LOW',
      'FOUR_STYLES_SHARE_LOW',
      'UNCLAIMED_OPINIONS',
      'DELIBERATION_MISSING',
      'NO_PROBLEM_IDENTIFIED',
      'FIX_AT_ONCE_OPEN',
      'PROBLEM_OVERDUE',
      'STAGE_DWELL',
      'OPEN_FINDINGS',
    ]);
    expect(
      progress(launchedUnit('NON_PUBLIC_SOCIAL').snapshot, day(1), R)
        .filter((l) => l.region === 'study')
        .map((l) => l.code),
    ).toEqual(['STUDY_SESSION_MISSING', 'STUDY_DWELL']);
  });
});

describe('bounded context', () => {
  const withOpinions = (n: number) => {
    const unit = launchedUnit('LEADERSHIP_BODY', 3);
    for (let i = 0; i < n; i++) {
      const id = `op-${String(i).padStart(5, '0')}`;
      unit.send(opinion(1, { routed: true, id, channel: i % 2 ? 'PHONE' : 'FORUM' }));
      unit.send({ type: 'OPINION_CLAIMED', opinionId: id, at: day(1) });
      unit.send(session('CONCENTRATED', 1 + (i % 5)));
      unit.send({ type: 'PARTY_LECTURE', lecturer: `lecturer-${i}`, occurredAt: day(1), at: day(1) });
    }
    return unit.snapshot.context;
  };

  it('10,000 opinions (all claimed), sessions and lectures: the same JSON size as 10, digits aside', () => {
    const small = JSON.stringify(withOpinions(10));
    const large = JSON.stringify(withOpinions(10_000));
    // counters grow in digits only ("10" → "10000"): compare with every number written as one digit
    const shape = (json: string) => json.replace(/\d+/g, '0');
    expect(shape(large).length).toBe(shape(small).length);
    expect(large.length - small.length).toBeLessThanOrEqual(3 * 8);
    expect(JSON.parse(large).study.lecturers).toHaveLength(3);
    expect(JSON.parse(large).study.concentratedDates).toHaveLength(5);
  });
});

describe('snapshots are plain JSON', () => {
  it('round-trips, and a step from the parsed copy equals a step from the original', () => {
    const unit = launchedUnit('WINDOW_SERVICE');
    studyEvidence('WINDOW_SERVICE', 0, 0).forEach((e) => unit.send(e));
    const copy = JSON.parse(JSON.stringify(unit.snapshot)) as StoredSnapshot;
    expect(copy).toEqual(unit.snapshot);
    const event = { type: 'COMPLETE_STUDY', at: day(3) } as const;
    expect(step(copy, event, R)).toEqual(step(unit.snapshot, event, R));
  });

  it('reads a stored value whatever its key order, and refuses one that is no state of the chart', () => {
    const unit = launchedUnit('GRASSROOTS');
    const reordered: StoredSnapshot = {
      ...unit.snapshot,
      value: { stage1: { correcting: 'active', study: 'active', listening: 'active' } },
    };
    const event = session('GROUP_DISCUSSION', 0.5);
    expect(step(reordered, event, R)).toEqual(step(unit.snapshot, event, R));
    const broken: StoredSnapshot = { ...unit.snapshot, value: { stage1: { study: 'active', listening: 'active' } } };
    expect(() => step(broken, event, R)).toThrow(
      '{"stage1":{"study":"active","listening":"active"}} is not a state of lookback-campaign-v1.',
    );
    expect(() => step({ ...unit.snapshot, value: 42 }, event, R)).toThrow('Not a state value: 42');
  });

  it('keeps times as epoch ms numbers', () => {
    expect(launchedUnit('GRASSROOTS').snapshot.context.launchedAt).toBe(T0);
  });
});

describe('calendar', () => {
  it('derives Shanghai dates from the rulebook zone', () => {
    expect(localDate(Date.parse('2014-02-01T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2014-02-01');
    expect(localDate(Date.parse('2014-02-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2014-02-02');
    expect(localDate(Date.parse('2014-03-30T00:30:00Z'), 'Europe/Berlin')).toBe('2014-03-30');
    expect(localDate(Date.parse('2014-03-29T23:30:00Z'), 'Europe/Berlin')).toBe('2014-03-30');
    expect(localDate(Date.parse('2014-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2014-10-26');
    expect(localDate(Date.parse('2014-10-25T21:30:00Z'), 'Europe/Berlin')).toBe('2014-10-25');
  });
  it('parses only ISO instants with a zone', () => {
    expect(parseInstant('2014-02-01T01:00:00Z')).toBe(T0);
    expect(parseInstant('2014-02-01T09:00:00+08:00')).toBe(T0);
    expect(parseInstant('2014-02-01')).toBeNull();
    expect(parseInstant('2014-02-01T01:00:00')).toBeNull();
    expect(parseInstant(T0)).toBeNull();
  });
});

describe('diagram and identity', () => {
  it('renders the machine as stateDiagram-v2 from its definition', () => {
    const text = renderMermaid(R);
    expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(text).toContain('lookback-campaign-v1');
    expect(text).toContain('registered --> stage1 : LAUNCH');
    expect(text).toContain('stage1_study_active --> stage1_study_met : COMPLETE_STUDY');
    expect(text).toContain('lookBack --> reforging : CONCLUDE_LOOKBACK');
    expect(text).toContain('reforging --> lookBack : REQUEST_LOOKBACK');
    expect(text).toContain('lookBack --> stage1Complete : CONCLUDE_LOOKBACK');
  });
  it('ships rulebooks v1 and v2 as seed data, looked up by number only on request', () => {
    expect(BUILT_IN_RULEBOOKS.map((r) => [r.version, r.ruleset])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(builtInRulebook(1)).toBe(RULEBOOK_V1);
    expect(() => builtInRulebook(99)).toThrow('No built-in rulebook v99 (built in: v1, v2).');
    expect(DAY).toBe(86_400_000);
  });
});
