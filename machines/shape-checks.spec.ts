/**
 * The package's plumbing, whole: what a rulebook must be for the machine to run it (each refusal's message), its
 * identity, calendar days in any zone (offsets of a quarter hour, daylight saving), the instants accepted, and how a
 * stored state value is read.
 */
import { BUILT_IN_RULEBOOKS, builtInRulebook } from './built-in-rulebooks.js';
import { isoOf, localDate, localDayNumber, parseInstant } from './calendar.js';
import { createCampaignMachine } from './campaign.machine.js';
import { EVENT_TYPES, isCampaignEventType, isStageEventType, STAGE_EVENTS } from './events.js';
import { canonicalJson, deepFreeze } from './json.js';
import { assertRunnable, rulebookKey, type Rulebook } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';
import {
  activeRegionsOf,
  assertSnapshotUnder,
  configurationOf,
  leafPathsOf,
  phaseOf,
  statusOf,
  type StoredSnapshot,
} from './status.js';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('assertRunnable: the shape a rulebook needs to run at all', () => {
  const refusal = (rulebook: unknown) => {
    try {
      assertRunnable(rulebook as Rulebook);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  it('runs the rulebooks shipped, and a copy of them', () => {
    expect(refusal(RULEBOOK_V1)).toBeNull();
    expect(refusal(copy(RULEBOOK_V2))).toBeNull();
    expect(refusal({ ...copy(RULEBOOK_V1), supplement: undefined })).toBeNull();
  });
  it('an object', () => {
    expect(refusal(null)).toBe('A rulebook must be an object.');
    expect(refusal('v1')).toBe('A rulebook must be an object.');
  });
  it('a version that is an integer from 1 on', () => {
    expect(refusal({ ...RULEBOOK_V1, version: 0 })).toBe('rulebook v0: version must be an integer ≥ 1.');
    expect(refusal({ ...RULEBOOK_V1, version: 1.5 })).toBe('rulebook v1.5: version must be an integer ≥ 1.');
    expect(refusal({ ...RULEBOOK_V1, version: '3' })).toBe('rulebook v3: version must be an integer ≥ 1.');
  });
  it('a ruleset this build runs', () => {
    expect(refusal({ ...RULEBOOK_V1, version: 4, ruleset: 3 })).toBe(
      'rulebook v4 asks for ruleset 3; this build runs ruleset 1, 2.',
    );
    expect(refusal({ ...RULEBOOK_V1, ruleset: '1' })).toBe(
      'rulebook v1 asks for ruleset "1"; this build runs ruleset 1, 2.',
    );
  });
  it('a time zone Intl knows', () => {
    expect(refusal({ ...RULEBOOK_V1, timeZone: 'Mars/Olympus' })).toBe(
      'rulebook v1: unknown time zone "Mars/Olympus".',
    );
    expect(refusal({ ...RULEBOOK_V1, timeZone: 'Europe/Berlin' })).toBeNull();
  });
  it('rules for every unit kind, and under ruleset 2 supplement rules for every kind', () => {
    const { GRASSROOTS: _g, NON_PUBLIC_SOCIAL: _n, ...four } = RULEBOOK_V1.kinds;
    expect(refusal({ ...RULEBOOK_V1, kinds: four })).toBe(
      'rulebook v1 has no rules for GRASSROOTS, NON_PUBLIC_SOCIAL.',
    );
    expect(refusal({ ...RULEBOOK_V1, kinds: undefined })).toBe(
      'rulebook v1 has no rules for LEADERSHIP_BODY, DIRECT_UNIT, TOWNSHIP_STREET, WINDOW_SERVICE, GRASSROOTS, NON_PUBLIC_SOCIAL.',
    );
    expect(refusal({ ...RULEBOOK_V1, kinds: { ...RULEBOOK_V1.kinds, DIRECT_UNIT: 'strict' } })).toBe(
      'rulebook v1 has no rules for DIRECT_UNIT.',
    );
    const { LEADERSHIP_BODY: _l, ...five } = RULEBOOK_V2.supplement!.kinds;
    expect(refusal({ ...RULEBOOK_V2, supplement: { ...RULEBOOK_V2.supplement, kinds: five } })).toBe(
      'rulebook v2 (ruleset 2) has no supplement rules for LEADERSHIP_BODY.',
    );
    expect(refusal({ ...RULEBOOK_V2, supplement: undefined })).toBe(
      'rulebook v2 (ruleset 2) has no supplement rules for LEADERSHIP_BODY, DIRECT_UNIT, TOWNSHIP_STREET, WINDOW_SERVICE, GRASSROOTS, NON_PUBLIC_SOCIAL.',
    );
    expect(refusal({ ...RULEBOOK_V2, supplement: { ...RULEBOOK_V2.supplement, kinds: undefined } })).toMatch(
      /has no supplement rules for LEADERSHIP_BODY, DIRECT_UNIT/u,
    );
  });
});

describe('the rulebooks shipped, and the event types', () => {
  it('v1 and v2, found by number; another number is an error that lists them', () => {
    expect(BUILT_IN_RULEBOOKS).toStrictEqual([RULEBOOK_V1, RULEBOOK_V2]);
    expect(builtInRulebook(1)).toBe(RULEBOOK_V1);
    expect(builtInRulebook(2)).toBe(RULEBOOK_V2);
    expect(() => builtInRulebook(3)).toThrow('No built-in rulebook v3 (built in: v1, v2).');
  });
  it('an event type is one of the list; a stage event one of the six', () => {
    expect(EVENT_TYPES.filter(isCampaignEventType)).toStrictEqual([...EVENT_TYPES]);
    expect(EVENT_TYPES.filter(isStageEventType)).toStrictEqual([...STAGE_EVENTS]);
    for (const other of ['DANCE', 'RULEBOOK_MIGRATED', '', null, ['LAUNCH']]) {
      expect(isCampaignEventType(other)).toBe(false);
      expect(isStageEventType(other)).toBe(false);
    }
  });
});

describe('a rulebook’s identity is its content', () => {
  it('the version, then the canonical JSON of the document, which is frozen', () => {
    const document = copy(RULEBOOK_V1);
    expect(rulebookKey(document)).toBe(`v1:${canonicalJson(RULEBOOK_V1)}`);
    expect(Object.isFrozen(document.kinds.GRASSROOTS.study)).toBe(true);
    const reordered = Object.fromEntries(Object.entries(copy(RULEBOOK_V1)).reverse()) as unknown as Rulebook;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(RULEBOOK_V1)[0]);
    expect(rulebookKey(reordered)).toBe(rulebookKey(RULEBOOK_V1));
  });
  it('canonical JSON: keys sorted at every depth, undefined members left out, arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: undefined }, '"': true })).toBe(
      '{"\\"":true,"a":{"d":[3,{"y":"x","z":null}]},"b":1}',
    );
    expect(canonicalJson('é')).toBe('"é"');
    expect(canonicalJson(null)).toBe('null');
  });
  it('deepFreeze freezes every level and returns the value; a frozen object is taken as frozen through', () => {
    const value = { a: { b: [{ c: 1 }] } };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    const inner = { x: 1 };
    const outer = Object.freeze({ inner });
    deepFreeze(outer);
    expect(Object.isFrozen(inner)).toBe(false);
    expect(deepFreeze(7)).toBe(7);
    expect(deepFreeze(null)).toBeNull();
  });
});

describe('calendar days in the rulebook’s zone', () => {
  const at = (iso: string, zone: string) => localDate(Date.parse(iso), zone);
  it('Shanghai (UTC+8): the day turns at 16:00 UTC', () => {
    expect(at('2014-03-01T15:59:59.999Z', 'Asia/Shanghai')).toBe('2014-03-01');
    expect(at('2014-03-01T16:00:00Z', 'Asia/Shanghai')).toBe('2014-03-02');
    expect(localDayNumber(Date.parse('2014-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe(16131);
    expect(localDayNumber(Date.parse('2014-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe(16130);
  });
  it('offsets of a half and three quarters of an hour', () => {
    expect(at('2014-03-01T18:29:59Z', 'Asia/Kolkata')).toBe('2014-03-01');
    expect(at('2014-03-01T18:30:00Z', 'Asia/Kolkata')).toBe('2014-03-02');
    expect(at('2014-03-01T18:14:59Z', 'Asia/Kathmandu')).toBe('2014-03-01');
    expect(at('2014-03-01T18:15:00Z', 'Asia/Kathmandu')).toBe('2014-03-02');
  });
  it('west of Greenwich, and across daylight saving time', () => {
    expect(at('2014-03-09T04:59:59Z', 'America/New_York')).toBe('2014-03-08'); // 23:59:59 EST
    expect(at('2014-03-09T05:00:00Z', 'America/New_York')).toBe('2014-03-09');
    expect(at('2014-07-01T03:59:59Z', 'America/New_York')).toBe('2014-06-30'); // 23:59:59 EDT
    expect(at('2014-07-01T04:00:00Z', 'America/New_York')).toBe('2014-07-01');
    expect(at('2014-11-03T04:59:59Z', 'America/New_York')).toBe('2014-11-02'); // EST again
    expect(at('2014-11-03T05:00:00Z', 'America/New_York')).toBe('2014-11-03');
    expect(at('1969-12-31T23:59:59Z', 'UTC')).toBe('1969-12-31');
    expect(localDayNumber(Date.parse('1969-12-31T23:59:59Z'), 'UTC')).toBe(-1);
  });
  it('many days, asked again and again, keep their dates', () => {
    const start = Date.parse('2014-01-01T00:00:00Z');
    const dates = Array.from({ length: 400 }, (_, i) => localDate(start + i * 86_400_000 + 3_600_000, 'Asia/Shanghai'));
    expect(dates[0]).toBe('2014-01-01');
    expect(dates[399]).toBe('2015-02-04');
    expect(new Set(dates).size).toBe(400);
    expect(localDate(start + 3_600_000, 'Asia/Shanghai')).toBe('2014-01-01');
  });
});

describe('parseInstant: ISO-8601 instants with a zone only', () => {
  it.each([
    ['2014-03-01T09:00Z', Date.UTC(2014, 2, 1, 9)],
    ['2014-03-01T09:00:30Z', Date.UTC(2014, 2, 1, 9, 0, 30)],
    ['2014-03-01T09:00:30.5Z', Date.UTC(2014, 2, 1, 9, 0, 30, 500)],
    ['2014-03-01T09:00:30.123456789Z', Date.UTC(2014, 2, 1, 9, 0, 30, 123)],
    ['2014-03-01T17:00:00+08:00', Date.UTC(2014, 2, 1, 9)],
    ['2014-03-01T04:00:00-05:00', Date.UTC(2014, 2, 1, 9)],
  ])('%s is %d', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });
  it.each([
    '2014-03-01',
    '2014-03-01T09:00',
    '2014-03-01T09:00:00',
    '2014-03-01 09:00:00Z',
    '2014-03-01T09Z',
    '2014-03-01T09:00:00.Z',
    '2014-03-01T09:00:00.1234567890Z',
    '2014-03-01T09:00:00+0800',
    '2014-03-01T09:00:00+08',
    'x2014-03-01T09:00:00Z',
    '2014-03-01T09:00:00Zx',
    '14-03-01T09:00:00Z',
    '2014-3-01T09:00:00Z',
    '2014-13-01T09:00:00Z',
    '2014-03-01T9:00:00Z',
  ])('%s is not one', (text) => {
    expect(parseInstant(text)).toBeNull();
  });
  it('neither is anything but a string', () => {
    expect(parseInstant(Date.UTC(2014, 2, 1))).toBeNull();
    expect(parseInstant(null)).toBeNull();
    // a JSON list of one instant prints as that instant: still not one
    expect(parseInstant(['2014-03-01T09:00:00Z'])).toBeNull();
    expect(isoOf(Date.UTC(2014, 2, 1, 9))).toBe('2014-03-01T09:00:00.000Z');
  });
});

describe('reading a stored state value', () => {
  const stage1 = { stage1: { study: 'met', listening: 'active', correcting: 'active' } };
  it('its leaf paths, sorted; its phase; its active regions in region order', () => {
    expect(leafPathsOf('registered')).toStrictEqual(['registered']);
    expect(leafPathsOf(stage1)).toStrictEqual([
      'stage1.correcting.active',
      'stage1.listening.active',
      'stage1.study.met',
    ]);
    expect(phaseOf(stage1)).toBe('stage1');
    expect(phaseOf('lookBack')).toBe('lookBack');
    expect(activeRegionsOf(stage1)).toStrictEqual(['listening', 'correcting']);
    expect(activeRegionsOf({ reforging: { correcting: 'active', study: 'active', listening: 'met' } })).toStrictEqual([
      'study',
      'correcting',
    ]);
    expect(activeRegionsOf('lookBack')).toStrictEqual([]);
    expect(activeRegionsOf(null)).toStrictEqual([]);
    expect(statusOf({ value: stage1 } as StoredSnapshot)).toStrictEqual({
      phase: 'stage1',
      activeStates: ['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.met'],
    });
  });
  it('refuses what is not a state value, naming the whole value', () => {
    expect(() => leafPathsOf({ stage1: { study: 3 } })).toThrow('Not a state value: {"stage1":{"study":3}}');
    expect(() => leafPathsOf({ stage1: null })).toThrow('Not a state value: {"stage1":null}');
  });
  it('finds the configuration of a value in any key order, with the events it handles', () => {
    const machine = createCampaignMachine(RULEBOOK_V1);
    const inOrder = configurationOf(machine, stage1);
    const reordered = configurationOf(machine, { stage1: { correcting: 'active', study: 'met', listening: 'active' } });
    expect(reordered).toBe(inOrder);
    expect(inOrder.leaves).toStrictEqual(['stage1.correcting.active', 'stage1.listening.active', 'stage1.study.met']);
    expect([...inOrder.handled].sort()).toStrictEqual(
      [
        'COLLECTIVE_DELIBERATION',
        'COMPLETE_CORRECTING',
        'COMPLETE_LISTENING',
        'FILM_SCREENING',
        'FINDING_ISSUED',
        'FINDING_RESOLVED',
        'OPINION_CLAIMED',
        'OPINION_RECORDED',
        'PARTY_LECTURE',
        'PROBLEM_IDENTIFIED',
        'PROBLEM_RECTIFIED',
        'REQUEST_LOOKBACK',
        'STUDY_SESSION',
      ].sort(),
    );
    expect([...configurationOf(machine, 'registered').handled].sort()).toStrictEqual(['FILE_STUDY_PLAN', 'LAUNCH']);
    expect(configurationOf(machine, 'registered').leaves).toStrictEqual(['registered']);
    expect([...configurationOf(createCampaignMachine(RULEBOOK_V2), 'stage1Complete').handled].sort()).toStrictEqual([
      'FINDING_ISSUED',
      'FINDING_RESOLVED',
    ]);
  });
  it('every configuration of the chart is found: three plain states, 8 of stage 1 and 27 of a re-forge', () => {
    const machine = createCampaignMachine(RULEBOOK_V1);
    const states = (phase: string, leaves: string[]) =>
      leaves.flatMap((s) =>
        leaves.flatMap((l) => leaves.map((c) => ({ [phase]: { study: s, listening: l, correcting: c } }))),
      );
    const all = [
      'registered',
      'lookBack',
      'stage1Complete',
      ...states('stage1', ['active', 'met']),
      ...states('reforging', ['entering', 'active', 'met']),
    ];
    expect(new Set(all.map((v) => configurationOf(machine, v))).size).toBe(all.length);
    expect(() =>
      configurationOf(machine, { stage1: { study: 'entering', listening: 'met', correcting: 'met' } }),
    ).toThrow(
      '{"stage1":{"study":"entering","listening":"met","correcting":"met"}} is not a state of lookback-campaign-v1.',
    );
    expect(() => configurationOf(machine, 'reforging')).toThrow('"reforging" is not a state of lookback-campaign-v1.');
    expect(() => configurationOf(machine, { stage1: { study: 'met' } })).toThrow('is not a state of');
  });
  it('a snapshot runs under the rulebook it records', () => {
    const snapshot = { value: 'registered', context: { rulebookVersion: 2 } } as StoredSnapshot;
    expect(() => assertSnapshotUnder(snapshot, RULEBOOK_V2)).not.toThrow();
    expect(() => assertSnapshotUnder(snapshot, RULEBOOK_V1)).toThrow(
      'The snapshot runs under rulebook v2, but was handed rulebook v1.',
    );
    expect(() => assertSnapshotUnder(null as never, RULEBOOK_V1)).toThrow(
      'The snapshot runs under rulebook vundefined, but was handed rulebook v1.',
    );
    expect(() => assertSnapshotUnder({ value: 'registered' } as never, RULEBOOK_V1)).toThrow(
      'The snapshot runs under rulebook vundefined, but was handed rulebook v1.',
    );
  });
});
