/**
 * A country shaped like the real one (end of 2013): 31 provinces, ~333 prefectures, ~2,850 counties, ~40,000 townships
 * and streets, 4.304 million grassroots organisations in all — scaled to any number of units, deterministic per seed.
 */

export interface CountryUnit {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
  leaderCount: number;
}

const NATIONAL_UNITS = 4_304_000;
const LEVELS = [
  { count: 31, kind: 'LEADERSHIP_BODY', name: '省委', leaders: [9, 15] },
  { count: 333, kind: 'LEADERSHIP_BODY', name: '市委', leaders: [7, 13] },
  { count: 2_850, kind: 'LEADERSHIP_BODY', name: '县委', leaders: [5, 11] },
  { count: 40_000, kind: 'TOWNSHIP_STREET', name: '乡镇', leaders: [0, 0] },
] as const;

/** Below a county (share of the leaves): its direct units and window units; below a township: villages, communities, firms. */
const COUNTY_LEAVES = [
  { share: 0.09, kind: 'DIRECT_UNIT', name: '直属单位' },
  { share: 0.05, kind: 'WINDOW_SERVICE', name: '窗口单位' },
] as const;
const TOWNSHIP_LEAVES = [
  { share: 0.6, kind: 'GRASSROOTS', name: '村（社区）党组织' },
  { share: 0.26, kind: 'NON_PUBLIC_SOCIAL', name: '非公企业和社会组织党组织' },
] as const;

/** A seeded PRNG (mulberry32): the same seed writes the same country. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many units each level gets for `total` units: the national counts scaled, at least one each. */
export function levelCounts(total: number): number[] {
  const counts: number[] = [];
  let above = 0;
  for (const level of LEVELS) {
    const n = Math.max(1, Math.round((level.count * total) / NATIONAL_UNITS));
    counts.push(Math.min(n, Math.max(1, total - above - 1)));
    above += counts[counts.length - 1];
  }
  counts.push(Math.max(0, total - above));
  return counts;
}

/** UUIDv7-shaped ids in creation order: a fixed instant and a counter, the rest from the seed. */
function idMaker(random: () => number, startMs: number) {
  let n = 0;
  const hex = (value: number, width: number) => Math.floor(value).toString(16).padStart(width, '0').slice(-width);
  return () => {
    const ms = startMs + Math.floor(n / 4096);
    const seq = n++ % 4096;
    const time = hex(ms, 12);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(seq, 3)}-${hex(8 + random() * 4, 1)}${hex(random() * 0xfff, 3)}-${hex(random() * 0xffffff, 6)}${hex(random() * 0xffffff, 6)}`;
  };
}

/** The country's units, parents before children (every level in turn), each child under a random parent of the level above. */
export function* generateCountry(total: number, seed = 1, startMs = Date.UTC(2014, 0, 20)): Generator<CountryUnit> {
  const random = prng(seed);
  const nextId = idMaker(random, startMs);
  const counts = levelCounts(total);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  let parents: string[] = [];
  const counties: string[] = [];
  for (let level = 0; level < LEVELS.length; level++) {
    const shape = LEVELS[level];
    const ids: string[] = [];
    for (let i = 0; i < counts[level]; i++) {
      const id = nextId();
      ids.push(id);
      const parentId = level === 0 ? null : parents[Math.floor((i * parents.length) / counts[level])];
      yield {
        id,
        parentId,
        name: `${shape.name}${i + 1}`,
        kind: shape.kind,
        leaderCount: between(shape.leaders[0], shape.leaders[1]),
      };
    }
    if (level === 2) counties.push(...ids);
    parents = ids;
  }
  const leaves = counts[LEVELS.length];
  const kinds = [
    ...COUNTY_LEAVES.map((k) => ({ ...k, under: counties })),
    ...TOWNSHIP_LEAVES.map((k) => ({ ...k, under: parents })),
  ];
  for (let i = 0; i < leaves; i++) {
    let r = random() * kinds.reduce((sum, k) => sum + k.share, 0);
    const kind = kinds.find((k) => (r -= k.share) < 0) ?? kinds[kinds.length - 1];
    yield {
      id: nextId(),
      parentId: kind.under[Math.floor(random() * kind.under.length)],
      name: `${kind.name}${i + 1}`,
      kind: kind.kind,
      leaderCount: 0,
    };
  }
}
