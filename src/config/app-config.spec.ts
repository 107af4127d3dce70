import { ConfigError, loadConfig, parseDatabaseUrl } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file data/lookback.db on port 3000', () => {
    const sut = loadConfig({});
    expect(sut.port).toBe(3000);
    expect(sut.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/lookback\.db$/) });
    expect(sut.graphql).toEqual({ maxDepth: 15, maxAliases: 50, maxFields: 1000, maxCost: 50000 });
    expect(sut.rateLimitPerMinute).toBe(3000);
    expect(sut.bodyLimitBytes).toBe(1048576);
  });

  it('reads sqlite:PATH and postgres:// URLs, with an optional schema', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/a.db')).toEqual({ type: 'sqlite', path: '/tmp/a.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgres://u@h:5432/db?schema=s1')).toEqual({
      type: 'postgres',
      url: 'postgres://u@h:5432/db',
      schema: 's1',
      poolSize: 10,
    });
  });

  it('refuses an unsupported database with a message a person can act on', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@localhost/x' })).toThrow(
      new ConfigError(
        'DATABASE_URL uses an unsupported database "mysql": use sqlite:PATH, postgres://USER@HOST:PORT/DB, or leave it unset for data/lookback.db.',
      ),
    );
  });

  it('refuses a bad port, a bad flag, and an invalid schema name', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT=abc is not valid/);
    expect(() => loadConfig({ LOOKBACK_TIME_TRAVEL: 'maybe' })).toThrow(/LOOKBACK_TIME_TRAVEL=maybe is not valid/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db?schema=Bad-Name' })).toThrow(/not a valid schema name/);
  });

  it('refuses time travel and a missing JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', LOOKBACK_JWT_SECRET: 's', LOOKBACK_TIME_TRAVEL: '1' })).toThrow(/refused when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LOOKBACK_JWT_SECRET is required/);
    expect(loadConfig({ NODE_ENV: 'production', LOOKBACK_JWT_SECRET: 's' }).production).toBe(true);
  });
});
