import { OPINION_CATEGORIES, OPINION_CHANNELS, REGIONS, STUDY_TOPICS, type Rulebook } from '../../machines/index.js';

/** A JSON Schema node (the subset this file writes): `false` refuses any value at its place. */
export type SchemaNode = boolean | Record<string, unknown>;

/** A code a rulebook names by itself (an activity, a problem category): capitals, digits and _. */
export const CODE_PATTERN = '^[A-Z][A-Z0-9_]{0,59}$';
/** The ceiling of any count or number of days (a share has its own: 100). */
export const MAX_NUMBER = 1000;
export const MAX_LIST = 200;

const code = (title: string) => ({ type: 'string', pattern: CODE_PATTERN, title });
const oneOf = (values: readonly string[], title: string) => ({ type: 'string', enum: [...values], title });

/** The item of each list a publication may change, by the list's key. */
const LIST_ITEMS: Record<string, Record<string, unknown>> = {
  faceToFaceChannels: oneOf(OPINION_CHANNELS, 'opinion channel'),
  fourStylesCategories: oneOf(OPINION_CATEGORIES, 'opinion category'),
  requiredTopics: oneOf(STUDY_TOPICS, 'study topic'),
  requiredActivities: code('activity'),
  activities: code('activity'),
  fixAtOnceCategories: code('problem category'),
  STUDY: oneOf(REGIONS, 'region'),
  LISTENING: oneOf(REGIONS, 'region'),
  COMBINED: oneOf(REGIONS, 'region'),
  STYLE: oneOf(REGIONS, 'region'),
};

/** Lists that may not be emptied (a failed look-back item must reopen some region). */
const NON_EMPTY = new Set(['STUDY', 'LISTENING', 'COMBINED', 'STYLE']);

function node(value: unknown, key: string): SchemaNode {
  if (Array.isArray(value)) {
    const items = LIST_ITEMS[key];
    if (!items) return false;
    return { type: 'array', items, uniqueItems: true, maxItems: MAX_LIST, minItems: NON_EMPTY.has(key) ? 1 : 0 };
  }
  if (typeof value === 'number')
    return { type: 'integer', minimum: 0, maximum: key.endsWith('Percent') ? 100 : MAX_NUMBER };
  if (value === null || typeof value !== 'object') return false; // yes/no rules and texts are not numbers or lists
  if (key === 'problemCategories') {
    // a closed list of codes with the notice's wording: categories may be added or reworded, not removed
    return {
      type: 'object',
      propertyNames: { pattern: CODE_PATTERN },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 100 },
    };
  }
  const properties: Record<string, SchemaNode> = {};
  for (const [inner, innerValue] of Object.entries(value)) properties[inner] = node(innerValue, inner);
  return { type: 'object', properties, additionalProperties: false };
}

/**
 * The JSON Schema of a change over `base` (an RFC 7386 merge patch): every key must be one of the base document's;
 * numbers are whole and at least 0 (shares at most 100, anything else at most 1000); lists are replaced whole, of
 * known values without repeats; `version`, `ruleset` and `timeZone`, yes/no rules and texts may not change.
 */
export function changeSchema(base: Rulebook): Record<string, unknown> {
  const root = node(base, '') as Record<string, unknown> & { properties: Record<string, SchemaNode> };
  root.properties.version = false;
  root.properties.ruleset = false;
  root.properties.timeZone = false;
  return { ...root, $comment: `changes over rulebook v${base.version}`, minProperties: 1 };
}
