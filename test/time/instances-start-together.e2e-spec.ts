import { createApp } from '../../src/bootstrap.js';
import { Db } from '../../src/database/db.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { testConfig } from '../support/test-app.js';
import { testDatabase } from '../support/test-database.js';

describe('instances that start together on a new database', () => {
  it('three instances started at the same instant all come up; each migration ran once', async () => {
    const database = testDatabase();
    const config = testConfig({ database: database.config });
    try {
      const started = await Promise.allSettled([createApp(config), createApp(config), createApp(config)]);
      const failures = started
        .filter((s) => s.status === 'rejected')
        .map((s) => String((s as PromiseRejectedResult).reason));
      expect(failures).toEqual([]);
      const apps = started.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof createApp>>>).value);
      await Promise.all(apps.map((app) => app.init()));
      const ran = await apps[0].get(Db).query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(ran.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      await Promise.all(apps.map((app) => app.close()));
    } finally {
      await database.drop();
    }
  });
});
