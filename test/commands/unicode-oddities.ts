import { Prng } from '../support/security-fuzz.js';

/**
 * Strings built of the Unicode that trips services up, and what the command path's rules say must become of each:
 * refused (naming the field), or stored in one normal form. The oracle is written from the rules as documented
 * (texts NFC; labels NFC and trimmed; names of people NFKC, trimmed, inner whitespace collapsed; no lone
 * surrogates; nothing empty; limits counted after normalisation), not read off the implementation.
 */
export const ODDITIES: Record<string, readonly string[]> = {
  surrogatePairs: ['😀', '𠀀', '𝒜', '𝟘'],
  loneHalves: ['\ud800', '\udbff', '\udc00', '\udfff'],
  combiningMarks: ['\u0301', '\u0308', '\u0327', '\u20dd', 'e\u0301\u0302'],
  nfcVsNfd: ['é', 'e\u0301', 'Å', '\u212b', 'A\u030a', '한', '\u1112\u1161\u11ab', '\u0958', 'ǆ'],
  compatibility: ['ﬁ', '㍻', '①', 'ｶ', '\u2126'],
  zeroWidth: ['\u200d', '\u200c', '\u200b', '\u2060'],
  bidi: ['\u200f', '\u200e', '\u202e', '\u202c', '\u061c'],
  bomAndNonCharacters: ['\ufeff', '\uffff', '\ufffe', '\ufffd'],
  emojiSequences: ['👨\u200d👩\u200d👧\u200d👦', '🇨🇳', '👍🏽', '1\ufe0f\u20e3', '🏳\ufe0f\u200d🌈'],
  fullWidth: ['ＬＩ', 'ａｂｃ', '１２３', '！'],
  spaces: ['\u3000', ' ', '\u00a0', '\t', '\n', '\u2003'],
  plain: ['王', '书记', 'a', 'Li', '学习', '.'],
};

const PIECES: readonly string[] = Object.values(ODDITIES).flat();

/** 0–12 pieces, each an oddity or plain text; a few purely blank or empty strings on purpose. */
export function oddString(r: Prng): string {
  if (r.chance(0.04)) return '';
  if (r.chance(0.04)) return r.pick(['\u3000', ' \u00a0 ', '\ufeff', '\t\n']);
  let s = '';
  const n = r.int(1, 12);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return s;
}

export type Rule = { kind: 'text' | 'label' | 'name'; max: number } | { kind: 'key' };

export type Expected = { accepted: true; stored: string } | { accepted: false };

const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** What the rules say becomes of `raw` in a field with this rule. */
export function expectedOf(raw: string, rule: Rule): Expected {
  if (!isWellFormed(raw)) return { accepted: false };
  if (rule.kind === 'key')
    return raw.length >= 1 && raw.length <= 200 ? { accepted: true, stored: raw } : { accepted: false };
  const stored =
    rule.kind === 'text'
      ? raw.normalize('NFC')
      : rule.kind === 'label'
        ? raw.normalize('NFC').trim()
        : raw.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  if (stored.trim() === '' || stored.length > rule.max) return { accepted: false };
  return { accepted: true, stored };
}
