import { loadConfig, type AppConfig } from '../config/app-config.js';

/** A configuration that builds the app for its schema only: an in-memory database, no demo, quiet logs. */
export function testFreeConfig(): AppConfig {
  return { ...loadConfig({ DATABASE_URL: 'sqlite::memory:', LOOKBACK_NO_DEMO: '1' }), logLevel: 'error' };
}
