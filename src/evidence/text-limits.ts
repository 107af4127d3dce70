import { invalidInput, InvalidInput } from '../common/results/error-results.js';

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_TOPICS = 100;

/** Free-text fields: present ones must be non-empty and at most MAX_TEXT_LENGTH characters. */
export function checkTexts(texts: Record<string, unknown>): InvalidInput | null {
  for (const [field, value] of Object.entries(texts)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > MAX_TOPICS) return invalidInput(`${field} may list at most ${MAX_TOPICS} entries.`, field);
      for (const [i, item] of value.entries()) {
        const bad = checkTexts({ [`${field}[${i}]`]: item });
        if (bad) return bad;
      }
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') return invalidInput(`${field} must not be empty.`, field);
    if (value.length > MAX_TEXT_LENGTH) return invalidInput(`${field} must be at most ${MAX_TEXT_LENGTH} characters.`, field);
  }
  return null;
}
