import { invalidInput, type InvalidInput } from '../common/results/error-results.js';
import { isWellFormed, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_REASON_LENGTH } from './input-rules.js';

/** The fields every command may carry besides its own: how to retry it, what it expects, why. */
export interface CommandMeta {
  idempotencyKey: string | null;
  expectedVersion: number | null;
  /** NFC, trimmed; null when absent or blank */
  reason: string | null;
  /** the first bad meta field, refused like any other input */
  invalid: InvalidInput | null;
}

const META_FIELDS = new Set(['idempotencyKey', 'expectedVersion', 'reason']);

/**
 * Splits a command's input into its meta fields (checked and normalised) and the rest. `reason`, when the input
 * has one, stays in the payload too, normalised: the history keeps why an admin overrode or a bulk send was made.
 */
export function readMeta(input: Record<string, unknown>): { meta: CommandMeta; payload: Record<string, unknown> } {
  const meta: CommandMeta = { idempotencyKey: null, expectedVersion: null, reason: null, invalid: null };
  const refuse = (message: string, field: string) => (meta.invalid ??= invalidInput(message, field));

  const key = input.idempotencyKey;
  if (key !== undefined && key !== null) {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      refuse(`idempotencyKey must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, 'idempotencyKey');
    } else if (!isWellFormed(key))
      refuse('idempotencyKey is not well-formed Unicode (a lone surrogate).', 'idempotencyKey');
    else meta.idempotencyKey = key;
  }
  const expected = input.expectedVersion;
  if (expected !== undefined && expected !== null) {
    if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0)
      refuse('expectedVersion must be a whole number ≥ 0.', 'expectedVersion');
    else meta.expectedVersion = expected;
  }
  const reason = input.reason;
  if (reason !== undefined && reason !== null) {
    if (typeof reason !== 'string') refuse('reason must be a string.', 'reason');
    else if (!isWellFormed(reason)) refuse('reason is not well-formed Unicode (a lone surrogate).', 'reason');
    else if (reason.length > MAX_REASON_LENGTH * 4)
      refuse(`reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
    else {
      const normalised = reason.normalize('NFC').trim();
      if (normalised.length > MAX_REASON_LENGTH)
        refuse(`reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
      else meta.reason = normalised || null;
    }
  }
  const payload: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) if (!META_FIELDS.has(field)) payload[field] = value;
  if ('reason' in input) payload.reason = meta.reason;
  return { meta, payload };
}
