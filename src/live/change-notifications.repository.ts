import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/db.js';

/** PostgreSQL's NOTIFY, inside a transaction: held by the server until the commit, dropped on a rollback. */
@Injectable()
export class ChangeNotificationsRepository {
  async notify(tx: Tx, channel: string, payload: string): Promise<void> {
    await tx.query('SELECT pg_notify(?, ?)', [channel, payload]);
  }

  /** One NOTIFY per payload, in the order given, in one statement (the payloads sent as one JSON array). */
  async notifyAll(tx: Tx, channel: string, payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return;
    await tx.query(
      'SELECT pg_notify(?, p.payload) FROM json_array_elements_text(?::json) WITH ORDINALITY AS p(payload, n) ORDER BY p.n',
      [channel, JSON.stringify(payloads)],
    );
  }
}
