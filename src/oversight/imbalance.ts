/** Uneven progress among siblings (进展不平衡): pure, on the children's progress indexes. */

/** A child lags when its index is below its siblings' mean by at least this much (default). */
export const LAG_BELOW_SIBLINGS = 0.15;
/** The parent is uneven when the spread of its children's indexes is at least this much (default). */
export const UNEVEN_SPREAD = 0.25;
/** Laggards: idle for at least this many days (default). */
export const DEFAULT_IDLE_DAYS = 7;
/** Rushing: at least this many refused stage events (default)… */
export const DEFAULT_MIN_ATTEMPTS = 3;
/** …in the last this many campaign days (default). */
export const DEFAULT_SINCE_DAYS = 7;

/** Float noise must not decide a threshold: 0.4 − 0.25 is 0.15000000000000002 in binary. */
const EPSILON = 1e-9;

export interface ImbalanceView {
  spread: number;
  uneven: boolean;
  laggingChildren: string[];
}

/** `children`: id → progress index. The siblings of a child are the other children (a lone child lags nobody). */
export function imbalanceOf(
  children: ReadonlyMap<string, number>,
  lagBelow = LAG_BELOW_SIBLINGS,
  unevenAt = UNEVEN_SPREAD,
): ImbalanceView {
  const entries = [...children.entries()];
  if (entries.length < 2) return { spread: 0, uneven: false, laggingChildren: [] };
  const values = entries.map(([, v]) => v);
  const spread = Math.max(...values) - Math.min(...values);
  const total = values.reduce((a, b) => a + b, 0);
  const lagging = entries
    .filter(([, v]) => (total - v) / (entries.length - 1) - v >= lagBelow - EPSILON)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
  return { spread, uneven: spread >= unevenAt - EPSILON, laggingChildren: lagging };
}
