/** The listening region's gates (听取意见): how many opinions, from whom, about what, all claimed, deliberated. */
import { localDayNumber } from '../calendar.js';
import { always, atLeast, kindRules, plural, share, type GateDefinition } from './evaluator.js';

export const OPINIONS: GateDefinition = {
  code: 'OPINIONS_SHORT',
  scope: 'listening',
  label: 'opinions heard',
  applies: always,
  check: (c, _at, r) =>
    atLeast(c.listening.opinions, kindRules(c, r).listening.minOpinions, 'opinion', 'Opinions recorded for this unit'),
};

export const FACE_TO_FACE_SHARE: GateDefinition = {
  code: 'FACE_TO_FACE_SHARE_LOW',
  scope: 'listening',
  label: 'face-to-face share of opinions',
  applies: always,
  check: (c, _at, r) =>
    share(
      c.listening.faceToFace,
      c.listening.opinions,
      kindRules(c, r).listening.faceToFacePercent,
      'The face-to-face share (face-to-face, home visit, forum, conduct review)',
    ),
};

export const FOUR_STYLES_SHARE: GateDefinition = {
  code: 'FOUR_STYLES_SHARE_LOW',
  scope: 'listening',
  label: '"four styles" share of opinions',
  applies: always,
  check: (c, _at, r) =>
    share(
      c.listening.fourStyles,
      c.listening.opinions,
      kindRules(c, r).listening.fourStylesPercent,
      'The "four styles" share (formalism, bureaucratism, hedonism, extravagance)',
    ),
};

export const ROUTED_OPINIONS_CLAIMED: GateDefinition = {
  code: 'UNCLAIMED_OPINIONS',
  scope: 'listening',
  label: 'routed opinions left unclaimed',
  applies: always,
  check: (c) => {
    const n = c.unclaimedOpinionIds.length;
    return {
      met: n === 0,
      required: '0 unclaimed',
      actual: String(n),
      message: `${plural(n, 'opinion')} routed to this unit by others still to be claimed${n ? `: ${c.unclaimedOpinionIds.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''}` : ''}.`,
    };
  },
};

/** Dates, not instants: a deliberation earlier on the day of the latest opinion counts ("on or after"). */
export const COLLECTIVE_DELIBERATION: GateDefinition = {
  code: 'DELIBERATION_MISSING',
  scope: 'listening',
  label: 'collective deliberation on or after the latest opinion',
  applies: (c, r) => kindRules(c, r).listening.collectiveDeliberation,
  check: (c, _at, r) => {
    const { latestDeliberationAt: d, latestOpinionAt: o } = c.listening;
    const met = d !== null && (o === null || localDayNumber(d, r.timeZone) >= localDayNumber(o, r.timeZone));
    const actual = d === null ? 'none' : met ? 'held' : 'held before the latest opinion';
    return {
      met,
      required: 'a deliberation dated on or after the latest opinion',
      actual,
      message:
        d === null
          ? 'No collective deliberation (集体议) of the opinions has been held.'
          : met
            ? 'A collective deliberation was held after the latest opinion.'
            : 'The latest collective deliberation is dated before the latest opinion; deliberate again.',
    };
  },
};

export const LISTENING_CONTENT: readonly GateDefinition[] = [
  OPINIONS,
  FACE_TO_FACE_SHARE,
  FOUR_STYLES_SHARE,
  ROUTED_OPINIONS_CLAIMED,
  COLLECTIVE_DELIBERATION,
];
