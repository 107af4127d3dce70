import { jest } from '@jest/globals';
import { signToken } from '../auth/jwt.js';
import { PrincipalCache } from './principal-cache.js';

const SECRET = 'principal-cache-secret';
const OFFICER = { sub: 'officer-li', role: 'OFFICER', scopeUnitId: 'unit-1' } as const;

describe('PrincipalCache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a verified header again, as a copy', () => {
    const cache = new PrincipalCache(SECRET);
    const header = `Bearer ${signToken(OFFICER, SECRET)}`;
    const first = cache.principalOf(header);
    first.role = 'ADMIN';
    expect(cache.principalOf(header)).toEqual(OFFICER);
  });

  it('refuses what principalFromHeader refuses, and remembers none of it', () => {
    const cache = new PrincipalCache(SECRET);
    const token = signToken(OFFICER, SECRET);
    const forged = `Bearer ${token.slice(0, -4)}AAAA`;
    expect(() => cache.principalOf(undefined)).toThrow(/bearer token is required/);
    expect(() => cache.principalOf(forged)).toThrow(/invalid bearer token/);
    expect(() => cache.principalOf(forged)).toThrow(/invalid bearer token/);
    expect(() => cache.principalOf(`Bearer ${signToken(OFFICER, 'another secret')}`)).toThrow(/signature/);
  });

  it('checks expiry on every hit', () => {
    jest.useFakeTimers({ now: new Date('2014-03-01T00:00:00Z') });
    const cache = new PrincipalCache(SECRET);
    const header = `Bearer ${signToken(OFFICER, SECRET, { expiresInSeconds: 60 })}`;
    expect(cache.principalOf(header).sub).toBe('officer-li');
    jest.setSystemTime(new Date('2014-03-01T00:00:59Z'));
    expect(cache.principalOf(header).sub).toBe('officer-li');
    jest.setSystemTime(new Date('2014-03-01T00:01:00Z'));
    expect(() => cache.principalOf(header)).toThrow(/expired/);
  });
});
