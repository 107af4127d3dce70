import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database/database.module.js';
import { Db } from '../../src/database/db.js';
import { testDatabase, type TestDatabase } from './test-database.js';

export interface MediumDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  db: Db;
}

/**
 * A medium test's real database, migrated, for the whole file: registers beforeAll/afterAll and returns a holder
 * whose fields are set once beforeAll has run.
 */
export function useMediumDatabase(): MediumDatabase {
  const holder = {} as MediumDatabase;
  beforeAll(async () => {
    holder.database = testDatabase();
    holder.dataSource = await openDatabase(holder.database.config);
    holder.db = new Db(holder.dataSource);
  });
  afterAll(async () => {
    await holder.db.close();
    await holder.dataSource.destroy();
    await holder.database.drop();
  });
  return holder;
}
