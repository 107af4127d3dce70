/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members dropped, everything
 * else as JSON.stringify writes it. Two equal values always encode to the same bytes (hashes, idempotency).
 * Written as one string built in place (no array per object or list): every event hashed and every history verified
 * goes through it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalarJson(value);
  if (value instanceof CanonicalText) return value.json;
  if (Array.isArray(value)) {
    let out = '[';
    // an undefined item is written as null, as JSON.stringify writes it (scalarJson)
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += (out.length === 1 ? '' : ',') + scalarJson(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

/** A string JSON writes as it is between quotes: no quote, backslash, control character or surrogate in it. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * A value that is not an object, exactly as JSON.stringify writes it (undefined, a function or a symbol as null), without
 * a call to it for the common cases — most of an event's values are plain strings and numbers, and each call costs
 * more than the value's own encoding.
 */
function scalarJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
    case 'number':
      // JSON writes a number as its shortest round-trip text, as String does, and what is not finite as null
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value) ?? 'null';
  }
}

/**
 * A value already written as canonical JSON, placed inside another value: written as it is, so that a part encoded
 * once (an event's payload, stored as this very text) is not encoded again for the whole. Only for text that
 * `canonicalJson` itself produced.
 */
export class CanonicalText {
  constructor(readonly json: string) {}
}
