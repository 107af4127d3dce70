import { ConfigError } from './config-error.js';

/**
 * The GraphQL edge's own settings (read by loadConfig, with their defaults here). A bad value stops the server with
 * a sentence, like the rest of the configuration.
 */
export interface EdgeSettings {
  /** Tokens a document may have (comments excluded): bounds parse and validation work before either starts. */
  maxTokens: number;
  /** Requests without a valid bearer token answered per minute per client address before 429 (0: no limit). */
  anonymousPerMinute: number;
  /** Documents not in the parse cache a principal may have validated per minute (0: no limit). */
  newDocumentsPerMinute: number;
  /** Live updates waiting for one WebSocket connection (all its subscriptions) before it is closed as too slow. */
  subscriptionQueue: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  subscriptionsPerConnection: number;
  /** WebSocket connections one principal (a token's subject) may hold open on this instance at once. */
  connectionsPerPrincipal: number;
}

/**
 * 2,000 tokens: the largest documents a client needs — 50 aliased unit reads (the alias limit) with a variable each and
 * a dozen fields, 1,556 tokens — fit with room; `npm run bench:abuse` prints what parsing and validating costs at it.
 */
export const DEFAULT_MAX_TOKENS = 2000;
/** An honest client sends a token; one that keeps failing to is answered 429 after this many refusals a minute. */
export const DEFAULT_ANONYMOUS_PER_MINUTE = 60;
/** A client's documents are a fixed few (variables change, documents do not): a minute's worth of new ones is plenty. */
export const DEFAULT_NEW_DOCUMENTS_PER_MINUTE = 60;
/** A reader that has not taken 100 updates is not reading: at a few hundred bytes each, 100 is ~30 KB held for it. */
export const DEFAULT_SUBSCRIPTION_QUEUE = 100;
/** The page holds two (a unit and a rollup); a dashboard of a county's townships a few dozen. */
export const DEFAULT_SUBSCRIPTIONS_PER_CONNECTION = 100;
/** A page per open tab, a few scripts: a principal with more open connections than this is not a person. */
export const DEFAULT_CONNECTIONS_PER_PRINCIPAL = 50;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * `perPrincipalLimits`: false when the rate limit per principal is off (LOOKBACK_RATE_LIMIT=0), which turns the budget
 * of new documents off with it unless LOOKBACK_NEW_DOCUMENTS_RATE_LIMIT says otherwise.
 */
export function edgeSettings(env: NodeJS.ProcessEnv = process.env, perPrincipalLimits = true): EdgeSettings {
  return {
    maxTokens: integer(env, 'LOOKBACK_MAX_TOKENS', DEFAULT_MAX_TOKENS, 100, 1_000_000),
    anonymousPerMinute: integer(env, 'LOOKBACK_ANONYMOUS_RATE_LIMIT', DEFAULT_ANONYMOUS_PER_MINUTE, 0, 10_000_000),
    newDocumentsPerMinute: integer(
      env,
      'LOOKBACK_NEW_DOCUMENTS_RATE_LIMIT',
      perPrincipalLimits ? DEFAULT_NEW_DOCUMENTS_PER_MINUTE : 0,
      0,
      10_000_000,
    ),
    subscriptionQueue: integer(env, 'LOOKBACK_SUBSCRIPTION_QUEUE', DEFAULT_SUBSCRIPTION_QUEUE, 1, 100_000),
    subscriptionsPerConnection: integer(
      env,
      'LOOKBACK_SUBSCRIPTIONS_PER_CONNECTION',
      DEFAULT_SUBSCRIPTIONS_PER_CONNECTION,
      1,
      100_000,
    ),
    connectionsPerPrincipal: integer(
      env,
      'LOOKBACK_CONNECTIONS_PER_PRINCIPAL',
      DEFAULT_CONNECTIONS_PER_PRINCIPAL,
      1,
      1_000_000,
    ),
  };
}
