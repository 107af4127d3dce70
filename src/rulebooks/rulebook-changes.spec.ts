import { RULEBOOK_V1, RULEBOOK_V2 } from '../../machines/index.js';
import { applyChanges, inputReasons, mergePatch } from './rulebook-changes.js';

const reasonsOf = (outcome: ReturnType<typeof applyChanges>) =>
  outcome.ok ? [] : outcome.reasons.map((r) => `${r.path}: ${r.message}`);

describe('a change over a rulebook (an RFC 7386 merge patch of numbers and lists)', () => {
  it('applies numbers and replaces lists whole, leaving everything else as the base has it', () => {
    const outcome = applyChanges(
      RULEBOOK_V2,
      {
        kinds: { GRASSROOTS: { listening: { minOpinions: 8, faceToFacePercent: 70 } } },
        supplement: { activities: ['READ_ORIGINALS', 'STUDY_RECORDS', 'WATCH_SERIES', 'HEAR_REPORT', 'SIX_ONES'] },
      },
      3,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.document.version).toBe(3);
    expect(outcome.document.ruleset).toBe(2);
    expect(outcome.document.kinds.GRASSROOTS.listening).toEqual({
      ...RULEBOOK_V2.kinds.GRASSROOTS.listening,
      minOpinions: 8,
      faceToFacePercent: 70,
    });
    expect(outcome.document.supplement!.activities).toContain('SIX_ONES');
    expect(outcome.document.kinds.LEADERSHIP_BODY).toEqual(RULEBOOK_V2.kinds.LEADERSHIP_BODY);
    expect(outcome.document.timeZone).toBe(RULEBOOK_V2.timeZone);
  });

  it('refuses with every reason at once, each at its JSON path', () => {
    const outcome = applyChanges(
      RULEBOOK_V2,
      {
        version: 9,
        ruleset: 1,
        timeZone: 'UTC',
        reworkDwellDays: -1,
        faceToFaceChannels: ['FACE_TO_FACE', 'CARRIER_PIGEON', 'FACE_TO_FACE'],
        fourStylesCategories: ['GOSSIP'],
        colour: 'red',
        kinds: {
          GRASSROOTS: {
            listening: {
              faceToFacePercent: 120,
              fourStylesPercent: -5,
              minOpinions: 2.5,
              collectiveDeliberation: true,
            },
            study: { dwellDays: 'three' },
          },
          MARTIAN_BASE: { stageDwellDays: 1 },
        },
        supplement: {
          kinds: {
            LEADERSHIP_BODY: {
              requiredTopics: ['ASTROLOGY'],
              requiredActivities: ['KARAOKE'],
              fixAtOnceCategories: ['LATE_LUNCH'],
            },
          },
        },
        lookBackItemRegions: { STUDY: [] },
      },
      3,
    );
    expect(reasonsOf(outcome).sort()).toEqual(
      [
        '/version: the version may not be given: the new one is the highest + 1',
        "/ruleset: the ruleset (the generation of gate code) may not change: a publication keeps its base's",
        '/timeZone: the time zone may not change: days already counted would move',
        '/reworkDwellDays: below 0: -1',
        '/faceToFaceChannels/1: unknown opinion channel: "CARRIER_PIGEON"',
        '/faceToFaceChannels: lists a value twice',
        '/fourStylesCategories/0: unknown opinion category: "GOSSIP"',
        '/colour: unknown key: the base rulebook has no such rule',
        '/kinds/GRASSROOTS/listening/faceToFacePercent: above 100: 120 (a share in whole percent)',
        '/kinds/GRASSROOTS/listening/fourStylesPercent: below 0: -5',
        '/kinds/GRASSROOTS/listening/minOpinions: not a whole number: 2.5',
        '/kinds/GRASSROOTS/listening/collectiveDeliberation: only numbers and lists may change, not true',
        '/kinds/GRASSROOTS/study/dwellDays: must be integer, got "three"',
        '/kinds/MARTIAN_BASE: unknown key: the base rulebook has no such rule',
        '/supplement/kinds/LEADERSHIP_BODY/requiredTopics/0: unknown study topic: "ASTROLOGY"',
        '/supplement/kinds/LEADERSHIP_BODY/requiredActivities/0: unknown activity: "KARAOKE" (not in /supplement/activities)',
        '/supplement/kinds/LEADERSHIP_BODY/fixAtOnceCategories/0: unknown problem category: "LATE_LUNCH" (not in /supplement/problemCategories)',
        '/lookBackItemRegions/STUDY: may not be empty',
      ].sort(),
    );
  });

  it('refuses removing anything (null), a ruleset-2 rule over a ruleset-1 rulebook, and a change that changes nothing', () => {
    expect(reasonsOf(applyChanges(RULEBOOK_V1, { reworkDwellDays: null, supplement: { minLecturers: 1 } }, 3))).toEqual(
      [
        '/reworkDwellDays: nothing may be removed (null deletes in a merge patch)',
        '/supplement: unknown key: the base rulebook has no such rule',
      ],
    );
    expect(reasonsOf(applyChanges(RULEBOOK_V1, { reworkDwellDays: RULEBOOK_V1.reworkDwellDays }, 3))).toEqual([
      ': changes nothing: the document would equal v1',
    ]);
    expect(reasonsOf(applyChanges(RULEBOOK_V1, {}, 3))).toEqual([
      ': changes nothing: give at least one number or list',
    ]);
    expect(reasonsOf(applyChanges(RULEBOOK_V1, [1, 2], 3))).toEqual([': must be object, got [1,2]']);
  });

  it('refuses a malformed code and an activity the resulting catalogue drops', () => {
    const activities = ['READ_ORIGINALS', 'STUDY_RECORDS', 'WATCH_SERIES', 'six ones'];
    expect(reasonsOf(applyChanges(RULEBOOK_V2, { supplement: { activities } }, 3))).toEqual([
      '/supplement/activities/3: activity codes are written in capital letters, digits and _: "six ones"',
      ...['LEADERSHIP_BODY', 'DIRECT_UNIT', 'TOWNSHIP_STREET', 'WINDOW_SERVICE']
        .map(
          (kind) =>
            `/supplement/kinds/${kind}/requiredActivities/3: unknown activity: "HEAR_REPORT" (not in /supplement/activities)`,
        )
        .sort(),
    ]);
  });

  it('checks the reason and the base as reasons of their own', () => {
    expect(inputReasons('  ', false, 7)).toEqual([
      { path: 'basedOn', message: 'there is no rulebook v7 to base it on' },
      { path: 'reason', message: 'a publication needs a reason (who asked for it, which notice)' },
    ]);
    expect(inputReasons('省委要求', true, 1)).toEqual([]);
  });

  it('merges as RFC 7386 says: objects key by key, lists and numbers replaced, null deleting', () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] } });
  });
});
