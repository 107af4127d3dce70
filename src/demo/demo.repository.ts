import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';

/** Claims the demo province's loading: the first instance to claim it on an empty database loads it, the others skip. */
@Injectable()
export class DemoRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** True for exactly one caller, and only while the database has no unit. */
  claimSeeding(now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM units');
      if (Number(row.n) > 0) return false;
      return (
        (await tx.run(
          "INSERT INTO service_markers (name, at) VALUES ('demo-province', ?) ON CONFLICT (name) DO NOTHING",
          [now],
        )) === 1
      );
    });
  }
}
