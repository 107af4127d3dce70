import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../../database/db.js';

export interface StoredIdempotentResult {
  requestHash: string;
  unitId: string;
  response: Record<string, unknown>;
}

/** Idempotency keys belong to the principal that sent them; a key's result is replayed for 24 hours at least. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(tx: Tx, principal: string, key: string): Promise<StoredIdempotentResult | null> {
    const [raw] = await tx.query<Record<string, unknown>>(
      'SELECT request_hash, unit_id, response FROM idempotency_keys WHERE principal = ? AND key = ?',
      [principal, key],
    );
    return raw
      ? {
          requestHash: raw.request_hash as string,
          unitId: raw.unit_id as string,
          response: JSON.parse(raw.response as string),
        }
      : null;
  }

  async store(tx: Tx, principal: string, key: string, result: StoredIdempotentResult, now: number): Promise<void> {
    await tx.run(
      'INSERT INTO idempotency_keys (principal, key, request_hash, unit_id, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [principal, key, result.requestHash, result.unitId, JSON.stringify(result.response), now],
    );
  }

  /** Deletes keys created before `before` (epoch ms); returns how many. */
  async prune(before: number): Promise<number> {
    return this.db.transaction((tx) => tx.run('DELETE FROM idempotency_keys WHERE created_at < ?', [before]));
  }
}
