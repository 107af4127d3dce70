import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

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
 * `payload` as the stored JSON object. The README documents this for outside verifiers.
 */
export function eventHash(fields: HashedEventFields): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        unitId: fields.unitId,
        seq: fields.seq,
        type: fields.type,
        payload: fields.payload,
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
}
