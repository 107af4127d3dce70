/**
 * Calendar days in a rulebook's time zone, without Date.now() and fast: the zone's UTC offset is asked of
 * Intl once per 15-minute slice of time (every real zone changes offset on a quarter hour) and cached.
 */

export const DAY_MS = 86_400_000;
const SLICE_MS = 15 * 60_000;
const MAX_CACHED_SLICES = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCaches = new Map<string, Map<number, number>>();
const dateLabels = new Map<number, string>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function computeOffset(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallClock - Math.floor(ms / 1000) * 1000;
}

/** The zone's offset from UTC (ms) at the instant `ms`. */
function zoneOffsetMs(ms: number, timeZone: string): number {
  let cache = offsetCaches.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCaches.set(timeZone, cache);
  }
  const slice = Math.floor(ms / SLICE_MS);
  let offset = cache.get(slice);
  if (offset === undefined) {
    if (cache.size >= MAX_CACHED_SLICES) cache.clear();
    offset = computeOffset(slice * SLICE_MS, timeZone);
    cache.set(slice, offset);
  }
  return offset;
}

/** Days since 1970-01-01 of the calendar date that `ms` falls on in `timeZone`. */
export function localDayNumber(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY_MS);
}

/** The calendar date ("2014-03-01") that the instant `ms` falls on in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const day = localDayNumber(ms, timeZone);
  let label = dateLabels.get(day);
  if (label === undefined) {
    label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateLabels.size >= MAX_CACHED_SLICES) dateLabels.clear();
    dateLabels.set(day, label);
  }
  return label;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO-8601 instant with an explicit zone ("Z" or "+08:00"), or null if it is not one. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
