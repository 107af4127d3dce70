import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { databaseOptions } from '../config/database-options.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { Db } from './db.js';

/** Opens the database, applies pending migrations, and hands out the `Db` of the hot path. */
export async function openDatabase(config: AppConfig['database']): Promise<DataSource> {
  if (config.type === 'postgres' && config.schema) {
    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
    } finally {
      await client.end();
    }
  }
  const dataSource = new DataSource(databaseOptions(config));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

@Global()
@Module({
  providers: [
    { provide: DataSource, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabase(config.database) },
    { provide: Db, inject: [DataSource], useFactory: (dataSource: DataSource) => new Db(dataSource) },
  ],
  exports: [DataSource, Db],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Db) private readonly db: Db,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
