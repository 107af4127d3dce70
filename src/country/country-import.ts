import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { initialSnapshot, RULEBOOK_V1, type Rulebook, type UnitKind } from '../../machines/index.js';
import { genesisHash } from '../history/hash-chain.js';
import { MAX_TREE_DEPTH } from '../tree/unit-tree.js';
import type { CountryUnit } from './country-shape.js';
import { CountryLoadRepository, type LoadRow } from './country-load.repository.js';
import { ImportRowError, RowReader } from './import-rows.js';

export interface ImportProgress {
  lines: number;
  units: number;
}

export interface ImportResult {
  units: number;
  lines: number;
  seconds: number;
}

/** What a parent hands its children: its depth, ancestors and launch (null: not launched). */
interface Parent {
  depth: number;
  ancestors: (string | null)[];
  launchedAt: number | null;
}

/**
 * Loads a unit tree from an NDJSON or CSV file in one transaction: every row validated on the way (a bad row stops
 * the load with its line number, and the rollback leaves nothing of the file behind), units with their first
 * snapshot, chain head, idleness and rollup rows, then the rollups above them. Parents come before their children
 * in the file, or already exist in the database.
 */
export class CountryImporter {
  private readonly contexts = new Map<string, { value: string; context: string }>();

  constructor(
    private readonly repository: CountryLoadRepository,
    private readonly now: () => number,
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
      const reader = new RowReader(format);
      const parents = new Map<string, Parent>();
      const below = new Map<string, number>();
      const createdAt = this.now();
      let pending: { unit: CountryUnit; line: number }[] = [];
      let line = 0;
      let units = 0;
      const flush = async () => {
        const ids = pending.map((p) => p.unit.id);
        const unknownParents = [
          ...new Set(pending.map((p) => p.unit.parentId).filter((id): id is string => id !== null && !parents.has(id))),
        ];
        const found = await this.repository.existing(tx, [...ids, ...unknownParents]);
        const rows: LoadRow[] = [];
        for (const { unit, line: at } of pending) {
          if (found.has(unit.id)) throw new ImportRowError(at, `unit ${unit.id} already exists in the database`);
          if (parents.has(unit.id)) throw new ImportRowError(at, `id ${unit.id} appears twice in the file`);
          let parent: Parent | null = null;
          if (unit.parentId !== null) {
            parent = parents.get(unit.parentId) ?? found.get(unit.parentId) ?? null;
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
          }
          const depth = parent ? parent.depth + 1 : 0;
          const ancestors = parent ? [...parent.ancestors] : new Array<string | null>(MAX_TREE_DEPTH).fill(null);
          ancestors[depth] = unit.id;
          parents.set(unit.id, { depth, ancestors, launchedAt: null });
          for (let d = 0; d < depth; d++) below.set(ancestors[d]!, (below.get(ancestors[d]!) ?? 0) + 1);
          const start = this.startOf(unit.kind, unit.leaderCount);
          rows.push({
            ...unit,
            depth,
            ancestors,
            createdAt,
            stateValue: start.value,
            context: start.context,
            headHash: genesisHash({
              unitId: unit.id,
              kind: unit.kind,
              leaderCount: unit.leaderCount,
              rulebookVersion: this.rulebook.version,
            }),
            rulebookVersion: this.rulebook.version,
            parentLaunchedAt: parent?.launchedAt ?? null,
          });
        }
        await this.repository.insert(tx, rows);
        units += rows.length;
        pending = [];
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
      await this.repository.addRegistered(tx, below);
      return { units, lines: line };
    });
    return { ...result, seconds: (Date.now() - startedAt) / 1000 };
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
