import { ConfigError } from './app-config.js';
import {
  DEFAULT_ANONYMOUS_PER_MINUTE,
  DEFAULT_MAX_TOKENS,
  DEFAULT_NEW_DOCUMENTS_PER_MINUTE,
  DEFAULT_SUBSCRIPTION_QUEUE,
  DEFAULT_SUBSCRIPTIONS_PER_CONNECTION,
  DEFAULT_CONNECTIONS_PER_PRINCIPAL,
  edgeSettings,
} from './edge-settings.js';

describe('edge settings from the environment', () => {
  it('defaults when unset or empty', () => {
    expect(edgeSettings({})).toEqual({
      maxTokens: DEFAULT_MAX_TOKENS,
      anonymousPerMinute: DEFAULT_ANONYMOUS_PER_MINUTE,
      newDocumentsPerMinute: DEFAULT_NEW_DOCUMENTS_PER_MINUTE,
      subscriptionQueue: DEFAULT_SUBSCRIPTION_QUEUE,
      subscriptionsPerConnection: DEFAULT_SUBSCRIPTIONS_PER_CONNECTION,
      connectionsPerPrincipal: DEFAULT_CONNECTIONS_PER_PRINCIPAL,
    });
    expect(edgeSettings({ LOOKBACK_MAX_TOKENS: ' ', LOOKBACK_ANONYMOUS_RATE_LIMIT: '' })).toEqual({
      maxTokens: 2000,
      anonymousPerMinute: 60,
      newDocumentsPerMinute: 60,
      subscriptionQueue: 100,
      subscriptionsPerConnection: 100,
      connectionsPerPrincipal: 50,
    });
  });

  it('reads whole numbers in range', () => {
    expect(
      edgeSettings({
        LOOKBACK_MAX_TOKENS: '5000',
        LOOKBACK_ANONYMOUS_RATE_LIMIT: '0',
        LOOKBACK_NEW_DOCUMENTS_RATE_LIMIT: '7',
        LOOKBACK_SUBSCRIPTION_QUEUE: '5',
        LOOKBACK_SUBSCRIPTIONS_PER_CONNECTION: '3',
        LOOKBACK_CONNECTIONS_PER_PRINCIPAL: '2',
      }),
    ).toEqual({
      maxTokens: 5000,
      anonymousPerMinute: 0,
      newDocumentsPerMinute: 7,
      subscriptionQueue: 5,
      subscriptionsPerConnection: 3,
      connectionsPerPrincipal: 2,
    });
  });

  it('the budget of new documents is off with the rate limit per principal, unless set', () => {
    expect(edgeSettings({}, false).newDocumentsPerMinute).toBe(0);
    expect(edgeSettings({ LOOKBACK_NEW_DOCUMENTS_RATE_LIMIT: '5' }, false).newDocumentsPerMinute).toBe(5);
  });

  it.each([
    ['LOOKBACK_MAX_TOKENS', '99', 'LOOKBACK_MAX_TOKENS=99 is not valid: expected a whole number from 100 to 1000000.'],
    [
      'LOOKBACK_MAX_TOKENS',
      '2e3x',
      'LOOKBACK_MAX_TOKENS=2e3x is not valid: expected a whole number from 100 to 1000000.',
    ],
    [
      'LOOKBACK_ANONYMOUS_RATE_LIMIT',
      '-1',
      'LOOKBACK_ANONYMOUS_RATE_LIMIT=-1 is not valid: expected a whole number from 0 to 10000000.',
    ],
    [
      'LOOKBACK_ANONYMOUS_RATE_LIMIT',
      '1.5',
      'LOOKBACK_ANONYMOUS_RATE_LIMIT=1.5 is not valid: expected a whole number from 0 to 10000000.',
    ],
    [
      'LOOKBACK_CONNECTIONS_PER_PRINCIPAL',
      '0',
      'LOOKBACK_CONNECTIONS_PER_PRINCIPAL=0 is not valid: expected a whole number from 1 to 1000000.',
    ],
    [
      'LOOKBACK_SUBSCRIPTIONS_PER_CONNECTION',
      '100001',
      'LOOKBACK_SUBSCRIPTIONS_PER_CONNECTION=100001 is not valid: expected a whole number from 1 to 100000.',
    ],
  ])('%s=%s is refused with a sentence', (name, value, message) => {
    expect(() => edgeSettings({ [name]: value })).toThrow(new ConfigError(message));
  });
});
