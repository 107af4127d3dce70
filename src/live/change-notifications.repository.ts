import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/db.js';

/** PostgreSQL's NOTIFY, inside a transaction: held by the server until the commit, dropped on a rollback. */
@Injectable()
export class ChangeNotificationsRepository {
  async notify(tx: Tx, channel: string, payload: string): Promise<void> {
    await tx.query('SELECT pg_notify(?, ?)', [channel, payload]);
  }
}
