import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { databaseOptions } from './src/config/database-options.js';

/** For the TypeORM CLI (`npm run migration:generate -- src/database/migrations/Name`, `npm run migration:run`). */
export default new DataSource(databaseOptions(loadConfig(process.env).database));
