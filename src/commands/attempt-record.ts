/**
 * What the attempts log keeps of a refused command: who, when, what, why — and a bounded summary of the input,
 * never the input itself. A refused 1 MiB field costs the log a few hundred bytes, whatever was sent.
 */

/** The longest string kept of one input value, message or blocker text. */
export const MAX_KEPT_STRING = 200;
/** The most entries kept of one list. */
export const MAX_KEPT_ITEMS = 10;
/** The most blockers kept of one refusal (every code is counted in the message anyway). */
export const MAX_KEPT_BLOCKERS = 30;
/** The ceiling of a stored summary or detail, in UTF-16 code units of its JSON. */
export const MAX_RECORD_CHARS = 4_096;

const toWellFormed = (value: string): string => (value as string & { toWellFormed(): string }).toWellFormed();

/** At most `max` characters, lone surrogates replaced, a surrogate pair never cut in half (for fixed-width columns). */
export function cut(value: string, max: number): string {
  const wellFormed = toWellFormed(value);
  if (wellFormed.length <= max) return wellFormed;
  return wellFormed.slice(0, /[\uD800-\uDBFF]/.test(wellFormed[max - 1]) ? max - 1 : max);
}

/** A string cut to `max` characters with the count of what was cut; lone surrogates replaced (never stored as sent). */
export function clip(value: string, max = MAX_KEPT_STRING): string {
  const kept = cut(value, max);
  const wellFormedLength = kept.length === value.length ? kept.length : toWellFormed(value).length;
  return kept.length === wellFormedLength ? kept : `${kept}…(+${wellFormedLength - kept.length})`;
}

function summarise(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clip(value);
  if (value === null || typeof value !== 'object')
    return typeof value === 'number' || typeof value === 'boolean' ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= 3) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_KEPT_ITEMS).map((item) => summarise(item, depth + 1));
    return value.length > MAX_KEPT_ITEMS ? [...kept, `…(+${value.length - MAX_KEPT_ITEMS})`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value).slice(0, 40)) out[clip(key, 60)] = summarise(inner, depth + 1);
  return out;
}

/** A JSON-safe summary of any input, at most MAX_RECORD_CHARS of JSON (fields dropped from the end past that). */
export function summariseInput(input: unknown): Record<string, unknown> {
  const summary = summarise(input, 0);
  const record: Record<string, unknown> =
    summary !== null && typeof summary === 'object' && !Array.isArray(summary)
      ? (summary as Record<string, unknown>)
      : { value: summary };
  return withinBudget(record);
}

function withinBudget(record: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(record).length <= MAX_RECORD_CHARS) return record;
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, inner] of Object.entries(record)) {
    kept[key] = inner;
    if (JSON.stringify(kept).length > MAX_RECORD_CHARS - 200) {
      delete kept[key];
      dropped.push(key);
    }
  }
  kept['…dropped'] = dropped.slice(0, 10).map((k) => clip(k, 60));
  return kept;
}

interface RefusalDetail {
  errorCode: string;
  message: string;
  field?: string | null;
  blockers?: { code: string; message: string; required: string | null; actual: string | null }[];
  earliestAt?: Date | null;
  currentVersion?: number;
  activeStates?: string[];
}

/** The refusal as the attempts log keeps it: its code and message, the bad field, the blockers — each bounded. */
export function refusalDetail(failure: RefusalDetail): Record<string, unknown> {
  const detail: Record<string, unknown> = { errorCode: failure.errorCode, message: clip(failure.message, 500) };
  if (failure.field != null) detail.field = clip(failure.field, 100);
  if (failure.blockers) {
    detail.blockers = failure.blockers.slice(0, MAX_KEPT_BLOCKERS).map((b) => ({
      code: clip(b.code, 60),
      message: clip(b.message, 300),
      required: b.required === null ? null : clip(b.required, 100),
      actual: b.actual === null ? null : clip(b.actual, 100),
    }));
  }
  if (failure.earliestAt) detail.earliestAt = failure.earliestAt.toISOString();
  if (failure.currentVersion !== undefined) detail.currentVersion = failure.currentVersion;
  if (failure.activeStates) detail.activeStates = failure.activeStates.slice(0, 10).map((s) => clip(s, 100));
  return detail;
}
