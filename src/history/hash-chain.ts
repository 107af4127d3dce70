import { createHash } from 'node:crypto';
import { canonicalJson, CanonicalText } from '../common/canonical-json.js';

/** The profile a unit's history starts from: what its first snapshot is made of. */
export interface GenesisFields {
  unitId: string;
  kind: string;
  leaderCount: number;
  rulebookVersion: number;
}

/**
 * The hash the first event chains to: hex(SHA-256(canonicalJson({ unitId, kind, leaderCount, rulebookVersion }))).
 * It binds the history to the unit it starts from, so that editing a unit's kind or leader count (which the replay
 * would follow silently) breaks the chain at its first event.
 */
export function genesisHash(fields: GenesisFields): string {
  assertStorable(fields);
  return createHash('sha256')
    .update(
      canonicalJson({
        unitId: fields.unitId,
        kind: fields.kind,
        leaderCount: fields.leaderCount,
        rulebookVersion: fields.rulebookVersion,
      }),
    )
    .digest('hex');
}

/** Every stored field of an event but its own hash: what the hash covers. */
export interface HashedEventFields {
  unitId: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  role: string;
  reason: string | null;
  at: number;
  occurredAt: number | null;
  recordedAt: number;
  rulebookVersion: number;
  override: boolean;
  idempotencyKey: string | null;
  prevHash: string;
}

/**
 * hash = hex(SHA-256(canonicalJson(fields))), with `at`, `occurredAt`, `recordedAt` as epoch milliseconds and
 * `payload` as the stored JSON object. docs/audit-trail.md documents this for outside verifiers.
 */
export function eventHash(fields: HashedEventFields): string {
  return hashedEvent(fields).hash;
}

/**
 * The event's hash and its payload's canonical JSON — the text the history stores as the payload: encoded once, for
 * the hash and for the row (parsed back, it is the same object, so it hashes the same).
 */
export function hashedEvent(fields: HashedEventFields): { hash: string; payloadJson: string } {
  assertStorable(fields);
  const payloadJson = canonicalJson(fields.payload);
  const hash = createHash('sha256')
    .update(
      canonicalJson({
        unitId: fields.unitId,
        seq: fields.seq,
        type: fields.type,
        payload: new CanonicalText(payloadJson),
        actor: fields.actor,
        role: fields.role,
        reason: fields.reason,
        at: fields.at,
        occurredAt: fields.occurredAt,
        recordedAt: fields.recordedAt,
        rulebookVersion: fields.rulebookVersion,
        override: fields.override,
        idempotencyKey: fields.idempotencyKey,
        prevHash: fields.prevHash,
      }),
    )
    .digest('hex');
  return { hash, payloadJson };
}

/**
 * A string with a lone UTF-16 surrogate is hashed as sent but stored as U+FFFD: its event would fail verification
 * for ever. The command path refuses such input; this is the last line, so that nothing unstorable is ever hashed.
 */
function assertStorable(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!(next as string & { isWellFormed(): boolean }).isWellFormed())
        throw new Error('refusing to hash a string that is not well-formed Unicode');
    } else if (next !== null && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) pending.push(key, inner);
    }
  }
}
