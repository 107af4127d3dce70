import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json.js';

export const GENESIS_SIGNATURE = '0'.repeat(64);

export interface Head {
  unitId: string;
  seq: number;
  hash: string;
}

export interface CheckpointFields {
  createdAt: number;
  unitCount: number;
  digest: string;
  prevSignature: string;
}

/** digest = hex(SHA-256(one line "unitId:seq:hash\n" per unit, sorted by unit id)). */
export function headsDigest(heads: Head[]): string {
  const hash = createHash('sha256');
  for (const head of [...heads].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))) {
    hash.update(`${head.unitId}:${head.seq}:${head.hash}\n`);
  }
  return hash.digest('hex');
}

/** signature = hex(HMAC-SHA256(LOOKBACK_AUDIT_KEY, canonicalJson({createdAt, unitCount, digest, prevSignature}))). */
export function signCheckpoint(fields: CheckpointFields, key: string): string {
  return createHmac('sha256', key)
    .update(
      canonicalJson({
        createdAt: fields.createdAt,
        unitCount: fields.unitCount,
        digest: fields.digest,
        prevSignature: fields.prevSignature,
      }),
    )
    .digest('hex');
}

export function signatureValid(fields: CheckpointFields & { signature: string }, key: string): boolean {
  // only the exact text it was signed as: hex decoding would ignore case and whatever follows the 64th digit
  if (!/^[0-9a-f]{64}$/.test(fields.signature)) return false;
  const expected = Buffer.from(signCheckpoint(fields, key), 'hex');
  const given = Buffer.from(fields.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
