import { ConfigError, DEV_AUDIT_KEY, DEV_JWT_SECRET, loadConfig, parseDatabaseUrl } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file data/lookback.db on port 3000', () => {
    const sut = loadConfig({});
    expect(sut.port).toBe(3000);
    expect(sut.database).toEqual({
      type: 'sqlite',
      path: expect.stringMatching(/data\/lookback\.db$/),
      createFolder: true,
      cacheMiB: 2,
      mmapMiB: 0,
    });
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

  it('sizes SQLite page cache and memory mapping from LOOKBACK_SQLITE_CACHE_MIB and LOOKBACK_SQLITE_MMAP_MIB', () => {
    const sut = loadConfig({
      DATABASE_URL: 'sqlite:/tmp/a.db',
      LOOKBACK_SQLITE_CACHE_MIB: '8',
      LOOKBACK_SQLITE_MMAP_MIB: '0',
    });
    expect(sut.database).toEqual({ type: 'sqlite', path: '/tmp/a.db', cacheMiB: 8, mmapMiB: 0 });
    expect(() => loadConfig({ LOOKBACK_SQLITE_CACHE_MIB: '0' })).toThrow(/LOOKBACK_SQLITE_CACHE_MIB=0 is not valid/);
    expect(() => loadConfig({ LOOKBACK_SQLITE_MMAP_MIB: '-1' })).toThrow(/LOOKBACK_SQLITE_MMAP_MIB=-1 is not valid/);
    // PostgreSQL has its own memory: the settings do not apply
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).not.toHaveProperty('cacheMiB');
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

  it('refuses a bad log level', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(
      new ConfigError('LOG_LEVEL=verbose is not valid: use one of fatal, error, warn, info, debug, trace, silent.'),
    );
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  describe('production refuses weak keys with a sentence naming the variable', () => {
    const KEY_31 = 'k'.repeat(31);
    const KEY_32 = 'k'.repeat(32);
    const OTHER_32 = 'a'.repeat(32);
    const production = (env: NodeJS.ProcessEnv) => loadConfig({ NODE_ENV: 'production', ...env });
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        production(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'accepted';
    };

    it('LOOKBACK_JWT_SECRET: required, at least 32 bytes (31 refused, 32 accepted), not the development default', () => {
      expect(refusal({ LOOKBACK_AUDIT_KEY: OTHER_32 })).toBe(
        'LOOKBACK_JWT_SECRET is required when NODE_ENV=production (the token command and the server must share it).',
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: '   ', LOOKBACK_AUDIT_KEY: OTHER_32 })).toMatch(
        /^LOOKBACK_JWT_SECRET is required/,
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_31, LOOKBACK_AUDIT_KEY: OTHER_32 })).toBe(
        'LOOKBACK_JWT_SECRET is shorter than 32 bytes: when NODE_ENV=production it must be at least 32 random bytes (e.g. `openssl rand -hex 32`).',
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: OTHER_32 })).toBe('accepted');
      expect(refusal({ LOOKBACK_JWT_SECRET: DEV_JWT_SECRET, LOOKBACK_AUDIT_KEY: OTHER_32 })).toBe(
        'LOOKBACK_JWT_SECRET is the development default, which anyone can read in the source: set a random one when NODE_ENV=production (e.g. `openssl rand -hex 32`).',
      );
    });

    it('counts bytes, not characters: eleven 3-byte characters (33 bytes) pass, ten plus one letter (31) do not', () => {
      expect(refusal({ LOOKBACK_JWT_SECRET: '密'.repeat(11), LOOKBACK_AUDIT_KEY: OTHER_32 })).toBe('accepted');
      expect(refusal({ LOOKBACK_JWT_SECRET: `${'密'.repeat(10)}k`, LOOKBACK_AUDIT_KEY: OTHER_32 })).toMatch(
        /^LOOKBACK_JWT_SECRET is shorter than 32 bytes/,
      );
    });

    it('LOOKBACK_AUDIT_KEY: required, at least 32 bytes, not the development default, not the JWT secret', () => {
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32 })).toBe(
        'LOOKBACK_AUDIT_KEY is required when NODE_ENV=production (it signs and checks the audit checkpoints).',
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: 'a'.repeat(31) })).toMatch(
        /^LOOKBACK_AUDIT_KEY is shorter than 32 bytes/,
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: DEV_AUDIT_KEY })).toMatch(
        /^LOOKBACK_AUDIT_KEY is the development default/,
      );
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: KEY_32 })).toBe(
        'LOOKBACK_AUDIT_KEY must differ from LOOKBACK_JWT_SECRET: whoever can issue tokens must not also be able to sign audit checkpoints.',
      );
    });

    it('never puts a key itself in the message', () => {
      for (const secret of [KEY_31, DEV_JWT_SECRET])
        expect(refusal({ LOOKBACK_JWT_SECRET: secret, LOOKBACK_AUDIT_KEY: OTHER_32 })).not.toContain(secret);
    });

    it('refuses time travel', () => {
      expect(refusal({ LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: OTHER_32, LOOKBACK_TIME_TRAVEL: '1' })).toMatch(
        /refused when NODE_ENV=production/,
      );
    });

    it('never loads the demo province, whatever LOOKBACK_NO_DEMO says (a mistyped value is still refused)', () => {
      const keys = { LOOKBACK_JWT_SECRET: KEY_32, LOOKBACK_AUDIT_KEY: OTHER_32 };
      expect(production(keys)).toMatchObject({
        production: true,
        seedDemo: false,
        jwtSecret: KEY_32,
        auditKey: OTHER_32,
        jwtSecretIsDevDefault: false,
      });
      expect(production({ ...keys, LOOKBACK_NO_DEMO: '0' }).seedDemo).toBe(false);
      expect(refusal({ ...keys, LOOKBACK_NO_DEMO: 'nope' })).toBe('LOOKBACK_NO_DEMO=nope is not valid: use 1 or 0.');
    });
  });

  it('outside production, unset keys fall back to the development ones and the demo loads unless LOOKBACK_NO_DEMO=1', () => {
    expect(loadConfig({})).toMatchObject({
      production: false,
      jwtSecret: DEV_JWT_SECRET,
      jwtSecretIsDevDefault: true,
      auditKey: DEV_AUDIT_KEY,
      seedDemo: true,
    });
    expect(loadConfig({ LOOKBACK_JWT_SECRET: 'short', LOOKBACK_NO_DEMO: '1' })).toMatchObject({
      jwtSecret: 'short',
      jwtSecretIsDevDefault: false,
      seedDemo: false,
    });
  });
});
