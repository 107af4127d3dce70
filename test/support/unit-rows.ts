import { ancestorsFor } from '../../src/tree/unit-tree.js';
import type { UnitRow } from '../../src/tree/units.repository.js';

/** A root GRASSROOTS unit's row as UnitsRepository stores it (no leaders), created and last changed at `at`. */
export function rootUnitRow(id: string, name: string, at: number, phase = 'registered'): UnitRow {
  return {
    id,
    name,
    kind: 'GRASSROOTS',
    parentId: null,
    depth: 0,
    ancestors: ancestorsFor(id, null),
    leaderCount: 0,
    phase,
    createdAt: at,
    updatedAt: at,
  };
}
