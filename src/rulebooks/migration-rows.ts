import type { MigrationGap } from '../../machines/index.js';
import type { MigrationOutcome, UnitMigrationResult } from '../commands/unit-migration.js';

/** A row as kept while the migration runs: its fields in order, its gaps as indexes into the distinct gaps. */
type PackedRow = [
  unitId: string,
  name: string,
  kind: string,
  phase: string,
  fromVersion: number,
  outcome: MigrationOutcome,
  gaps: number[],
];

/**
 * The rows of a migration report while the migration runs: each batch's rows as one JSON string, and every distinct
 * gap (same code, region, numbers and message) once; the rows are built once, at the end.
 *
 * Held as objects, the rows of a large subtree are most of what lives on the heap for the whole run: 200,000 units
 * are about a million objects (the row, its strings, its list of gaps) that every full collection marks again while
 * the real run allocates its events and snapshots — measured, a quarter of the run's CPU time at 200,000 units,
 * growing with the subtree. A batch's string is one object, and the rows it holds share their gaps.
 */
export class MigrationRows {
  private readonly batches: string[] = [];
  private readonly gaps: MigrationGap[] = [];
  private readonly gapIndexes = new Map<string, number>();

  add(rows: readonly UnitMigrationResult[]): void {
    const packed = rows.map((r): PackedRow => [
      r.unitId,
      r.name,
      r.kind,
      r.phase,
      r.fromVersion,
      r.outcome,
      r.gaps.map((g) => this.gapIndex(g)),
    ]);
    this.batches.push(JSON.stringify(packed));
  }

  /** Every row added, in order; units that lack the same thing share one gap object. */
  rows(): UnitMigrationResult[] {
    const out: UnitMigrationResult[] = [];
    for (const batch of this.batches)
      for (const [unitId, name, kind, phase, fromVersion, outcome, gaps] of JSON.parse(batch) as PackedRow[])
        out.push({ unitId, name, kind, phase, fromVersion, outcome, gaps: gaps.map((i) => this.gaps[i]) });
    return out;
  }

  private gapIndex(gap: MigrationGap): number {
    const key = `${gap.code}\u0000${gap.region}\u0000${gap.required}\u0000${gap.actual}\u0000${gap.message}`;
    let index = this.gapIndexes.get(key);
    if (index === undefined) {
      index = this.gaps.push(gap) - 1;
      this.gapIndexes.set(key, index);
    }
    return index;
  }
}
