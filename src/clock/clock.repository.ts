import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';

/** The stored offset of the test clock: it only ever grows, whichever instance moves it. */
@Injectable()
export class ClockRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async offset(): Promise<number> {
    const [row] = await this.db.query<{ offset_ms: number }>('SELECT offset_ms FROM service_clock WHERE id = 1');
    return row ? Number(row.offset_ms) : 0;
  }

  /** Adds `ms` to the stored offset (in one transaction: two instances moving it at once both count) and returns it. */
  advance(ms: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const [row] = await tx.query<{ offset_ms: number }>(`SELECT offset_ms FROM service_clock WHERE id = 1${lock}`);
      const next = (row ? Number(row.offset_ms) : 0) + ms;
      if (row) await tx.run('UPDATE service_clock SET offset_ms = ? WHERE id = 1', [next]);
      else await tx.run('INSERT INTO service_clock (id, offset_ms) VALUES (1, ?)', [next]);
      return next;
    });
  }
}
