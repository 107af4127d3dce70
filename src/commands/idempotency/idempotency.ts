import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { canonicalJson } from '../../common/canonical-json.js';
import {
  idempotencyKeyReused,
  versionConflict,
  type IdempotencyKeyReused,
  type VersionConflict,
} from '../../common/results/error-results.js';
import type { Tx } from '../../database/db.js';
import { LostRace } from '../../history/history.service.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** A key as the log files it: whose it is (sub, role and scope: an ADMIN "li" is not the OFFICER "li") and the key. */
export interface OwnedKey {
  owner: string;
  key: string;
}

export type Prior = { response: Record<string, unknown> | null; reused: IdempotencyKeyReused | null };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Two first uses of one key at once: the loser's insert fails on the key's primary key, and it retries once. */
function isKeyCollision(error: unknown): boolean {
  const e = error as { code?: string; message?: string; table?: string };
  if (e?.code === '23505') return e.table === 'idempotency_keys' || /idempotency_keys/.test(e.message ?? '');
  return (
    typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && /idempotency_keys/.test(e.message ?? '')
  );
}

/** Retrying a command with the same key and input returns the first answer and writes nothing (24 hours at least). */
@Injectable()
export class Idempotency {
  constructor(@Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository) {}

  keyOf(principal: Principal, key: string | null): OwnedKey | null {
    if (key === null) return null;
    return {
      owner: sha256(canonicalJson({ sub: principal.sub, role: principal.role, scope: principal.scopeUnitId })),
      key,
    };
  }

  /** What a retry must repeat exactly (computed only when there is a key). */
  requestHash(key: OwnedKey | null, request: Record<string, unknown>): string {
    return key === null ? '' : sha256(canonicalJson(request));
  }

  async prior(tx: Tx, key: OwnedKey | null, requestHash: string): Promise<Prior> {
    if (key === null) return { response: null, reused: null };
    const prior = await this.keys.find(tx, key.owner, key.key);
    if (!prior) return { response: null, reused: null };
    if (prior.requestHash === requestHash) return { response: prior.response, reused: null };
    return { response: null, reused: idempotencyKeyReused(key.key) };
  }

  async remember(
    tx: Tx,
    key: OwnedKey | null,
    requestHash: string,
    unitId: string,
    response: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    if (key === null) return;
    await this.keys.store(tx, key.owner, key.key, { requestHash, unitId, response }, now);
  }

  /** Runs the command's transaction; a lost compare-and-set is a VersionConflict (told to `lostRace`), a key's first-use race one retry. */
  async retryingFirstUse<T>(
    transaction: () => Promise<T>,
    expectedVersion: number | null,
    lostRace: (conflict: VersionConflict) => Promise<void> = async () => undefined,
  ): Promise<T | VersionConflict> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await transaction();
      } catch (error) {
        if (error instanceof LostRace) {
          const conflict = versionConflict(error.currentVersion, expectedVersion ?? error.currentVersion - 1);
          await lostRace(conflict);
          return conflict;
        }
        if (attempt === 0 && isKeyCollision(error)) continue;
        throw error;
      }
    }
  }
}
