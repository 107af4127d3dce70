import { hash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { initialSnapshot, RULEBOOK_V1, type Rulebook, type UnitKind } from '../../machines/index.js';
import type { Tx } from '../database/db.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import type { CountryUnit } from './country-shape.js';
import { CountryLoadRepository, type DeferredIndex, type LoadRow } from './country-load.repository.js';
import { ImportRowError, RowReader } from './import-rows.js';

export interface ImportProgress {
  lines: number;
  units: number;
}

export interface ImportResult {
  units: number;
  lines: number;
  seconds: number;
  /** Whether the secondary indexes were built once after the load instead of row by row. */
  indexesAfterLoad: boolean;
  /** Of `seconds`, building the indexes set aside (0 when they were kept). */
  indexSeconds: number;
}

/**
 * When the secondary indexes are filled: `after` the load (dropped, then built once in the same transaction),
 * `during` it (row by row), or `auto`: after when the file holds at least as many units as the database (a fresh or
 * small database: building them once is faster than filling them row by row).
 */
export type IndexPolicy = 'auto' | 'after' | 'during';

/** What a parent hands its children: its depth, ancestors and launch (null: not launched). */
interface Parent {
  depth: number;
  ancestors: (string | null)[];
  launchedAt: number | null;
}

/** Parents kept in memory (at most; the least recently used dropped first), others read back from the database. */
const PARENT_CACHE = 100_000;
/** Ancestors' unit counts kept in memory before they are added to their rollups. */
const PENDING_ANCESTORS = 50_000;
/** A generous lower bound of an import line's bytes: files of this many lines per byte or more are "large". */
const BYTES_PER_LINE_AT_MOST = 400;

/**
 * The genesis hash of a unit started on `rulebookVersion`: hex(SHA-256(canonicalJson({ unitId, kind, leaderCount,
 * rulebookVersion }))) — the same bytes as `genesisHash` (keys in sorted order), written directly (a test holds them
 * equal).
 */
export function loadGenesisHash(unitId: string, kind: string, leaderCount: number, rulebookVersion = 1): string {
  return hash(
    'sha256',
    `{"kind":${JSON.stringify(kind)},"leaderCount":${leaderCount},"rulebookVersion":${rulebookVersion},"unitId":${JSON.stringify(unitId)}}`,
  );
}

/**
 * Loads a unit tree from an NDJSON or CSV file in one transaction: every row validated on the way (a bad row stops
 * the load with its line number, and the rollback leaves nothing of the file behind), units with their first
 * snapshot, chain head, idleness and rollup rows, then the rollups above them. Parents come before their children
 * in the file, or already exist in the database. Memory stays bounded whatever the file's size: rows are written in
 * batches, and only recently used parents are kept (the others are read back from the transaction's own writes).
 */
export class CountryImporter {
  private readonly contexts = new Map<string, { value: string; context: string }>();

  constructor(
    private readonly repository: CountryLoadRepository,
    private readonly now: () => number,
    private readonly options: { indexes?: IndexPolicy; parentCache?: number } = {},
    /** the rulebook new units start on (the current one: the CLI reads it from the rulebook store) */
    private readonly rulebook: Rulebook = RULEBOOK_V1,
  ) {}

  async importFile(
    path: string,
    format: 'ndjson' | 'csv',
    onProgress: (p: ImportProgress) => void = () => undefined,
  ): Promise<ImportResult> {
    const startedAt = Date.now();
    const result = await this.repository.transaction(async (tx) => {
      let deferred: DeferredIndex[] | null = null;
      if (await this.indexesAfterLoad(tx, path)) deferred = await this.repository.dropSecondaryIndexes(tx);
      const loaded = await this.load(tx, path, format, onProgress);
      const indexesFrom = Date.now();
      if (deferred) await this.repository.createIndexes(tx, deferred);
      const indexSeconds = (Date.now() - indexesFrom) / 1000;
      return { ...loaded, indexesAfterLoad: deferred !== null, indexSeconds };
    });
    return { ...result, seconds: (Date.now() - startedAt) / 1000 };
  }

  private async indexesAfterLoad(tx: Tx, path: string): Promise<boolean> {
    const policy = this.options.indexes ?? 'auto';
    if (policy !== 'auto') return policy === 'after';
    const fileUnits = statSync(path).size / BYTES_PER_LINE_AT_MOST;
    return fileUnits >= 10_000 && fileUnits >= (await this.repository.unitCount(tx));
  }

  private async load(
    tx: Tx,
    path: string,
    format: 'ndjson' | 'csv',
    onProgress: (p: ImportProgress) => void,
  ): Promise<{ units: number; lines: number }> {
    const reader = new RowReader(format);
    let parents = new Map<string, Parent>();
    const below = new Map<string, number>();
    const createdAt = this.now();
    let pending: { unit: CountryUnit; line: number }[] = [];
    let line = 0;
    let units = 0;
    // the parents used lately, in two generations: a child naming a parent moves it into the newer one, and when
    // that is full the older one is dropped (those parents are read back from the database when a child needs them)
    let older = new Map<string, Parent>();
    const known = (id: string) => parents.get(id) ?? older.get(id);
    const remember = (id: string, parent: Parent) => {
      parents.set(id, parent);
      if (parents.size < (this.options.parentCache ?? PARENT_CACHE) / 2) return;
      older = parents;
      parents = new Map();
    };
    const flush = async () => {
      const ids = new Set<string>();
      const unknown = new Set<string>();
      const held = new Map<string, Parent>(); // the known parents, held for this batch whatever the cache drops
      for (const { unit } of pending) {
        ids.add(unit.id);
        if (unit.parentId === null) continue;
        const parent = known(unit.parentId);
        if (parent) held.set(unit.parentId, parent);
        else unknown.add(unit.parentId);
      }
      const found = await this.repository.existing(tx, [...new Set([...ids, ...unknown])]);
      const fresh = new Map<string, Parent>(); // this batch's units, whatever the cache drops

      const rows: LoadRow[] = [];
      for (const { unit, line: at } of pending) {
        if (found.has(unit.id) || fresh.has(unit.id)) await this.duplicate(path, format, unit.id, at);
        let parent: Parent | null = null;
        if (unit.parentId !== null) {
          parent =
            known(unit.parentId) ??
            held.get(unit.parentId) ??
            fresh.get(unit.parentId) ??
            found.get(unit.parentId) ??
            null;
          if (!parent)
            throw new ImportRowError(
              at,
              `parentId ${unit.parentId} is neither earlier in the file nor in the database`,
            );
          if (parent.depth + 1 >= MAX_TREE_DEPTH)
            throw new ImportRowError(
              at,
              `the tree is at most ${MAX_TREE_DEPTH} levels deep: the parent is on the last level`,
            );
          remember(unit.parentId, parent);
        }
        const depth = parent ? parent.depth + 1 : 0;
        const ancestors = parent ? [...parent.ancestors] : new Array<string | null>(MAX_TREE_DEPTH).fill(null);
        ancestors[depth] = unit.id;
        // remembered as a parent when a child names it: most units are leaves, and a cache of them would churn
        fresh.set(unit.id, { depth, ancestors, launchedAt: null });
        for (let d = 0; d < depth; d++) below.set(ancestors[d]!, (below.get(ancestors[d]!) ?? 0) + 1);
        const start = this.startOf(unit.kind, unit.leaderCount);
        rows.push({
          ...unit,
          depth,
          ancestors,
          createdAt,
          stateValue: start.value,
          context: start.context,
          headHash: loadGenesisHash(unit.id, unit.kind, unit.leaderCount, this.rulebook.version),
          rulebookVersion: this.rulebook.version,
          parentLaunchedAt: parent?.launchedAt ?? null,
        });
      }
      await this.repository.insert(tx, rows);
      units += rows.length;
      pending = [];
      if (below.size > PENDING_ANCESTORS) await this.addBelow(tx, below);
      onProgress({ lines: line, units });
    };
    // opened here, right before it is read: lines read before the loop starts would be lost
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of lines) {
      line++;
      const unit = reader.read(text, line);
      if (unit) pending.push({ unit, line });
      if (pending.length >= this.repository.batchSize) await flush();
    }
    await flush();
    // every rollup row was written with the unit itself: now each subtree gains the units loaded below it
    await this.addBelow(tx, below);
    return { units, lines: line };
  }

  private async addBelow(tx: Tx, below: Map<string, number>): Promise<void> {
    await this.repository.addRegistered(tx, below);
    below.clear();
  }

  /** A unit id met again: earlier in the file (named by its line, read again from the file) or in the database. */
  private async duplicate(path: string, format: 'ndjson' | 'csv', id: string, at: number): Promise<never> {
    const reader = new RowReader(format);
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      if (++line >= at) break;
      if (reader.read(text, line)?.id === id)
        throw new ImportRowError(at, `id ${id} appears twice in the file (first on line ${line})`);
    }
    throw new ImportRowError(at, `unit ${id} already exists in the database`);
  }

  /** A new unit's stored snapshot: the same for every unit of one kind and leader count. */
  private startOf(kind: string, leaderCount: number): { value: string; context: string } {
    const key = `${kind}:${leaderCount}`;
    let start = this.contexts.get(key);
    if (!start) {
      const snapshot = initialSnapshot({ kind: kind as UnitKind, leaderCount }, this.rulebook);
      start = { value: JSON.stringify(snapshot.value), context: JSON.stringify(snapshot.context) };
      this.contexts.set(key, start);
    }
    return start;
  }
}
