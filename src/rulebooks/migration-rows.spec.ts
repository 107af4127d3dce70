import type { MigrationGap } from '../../machines/index.js';
import type { UnitMigrationResult } from '../commands/unit-migration.js';
import { MigrationRows } from './migration-rows.js';

const gap = (over: Partial<MigrationGap> = {}): MigrationGap => ({
  code: 'OPINIONS_SHORT',
  region: 'listening',
  required: '5 opinions',
  actual: '4',
  message: 'Opinions recorded for this unit: 4 of the 5 required.',
  ...over,
});

const row = (unitId: string, gaps: MigrationGap[], over: Partial<UnitMigrationResult> = {}): UnitMigrationResult => ({
  unitId,
  name: `村 ${unitId}`,
  kind: 'GRASSROOTS',
  phase: 'stage1',
  fromVersion: 1,
  outcome: 'MIGRATED',
  gaps,
  ...over,
});

describe('MigrationRows: the report rows kept while a migration runs', () => {
  it('gives back every row added, batch after batch, in order and field for field', () => {
    const kept = new MigrationRows();
    const first = [
      row('u1', [
        gap(),
        gap({ code: 'NO_PROBLEM_IDENTIFIED', region: 'correcting', required: '1 problem', actual: '0' }),
      ]),
      row('u2', [], { outcome: 'ALREADY_ON_VERSION', fromVersion: 2, phase: 'lookBack' }),
    ];
    const second = [
      row('u3', [], {
        // what JSON must escape, and text outside the Basic Multilingual Plane, come back as they were
        name: '第"一"村\\支部\n𠀋',
        kind: 'WINDOW',
        outcome: 'STAGE1_COMPLETE',
        phase: 'stage1Complete',
      }),
      row('u4', [gap({ actual: '3', message: 'Opinions recorded for this unit: 3 of the 5 required.' })], {
        outcome: 'WOULD_MIGRATE',
      }),
    ];
    kept.add(first);
    kept.add([]);
    kept.add(second);
    expect(kept.rows()).toStrictEqual([...first, ...second]);
  });

  it('keeps each distinct gap once: units lacking the same thing share one gap object, across batches', () => {
    const kept = new MigrationRows();
    kept.add([row('u1', [gap()]), row('u2', [gap()])]);
    kept.add([row('u3', [gap()])]);
    const [a, b, c] = kept.rows();
    expect(a.gaps[0]).toBe(b.gaps[0]);
    expect(a.gaps[0]).toBe(c.gaps[0]);
    expect(a.gaps[0]).toStrictEqual(gap());
  });

  it('never merges gaps that differ in any field', () => {
    const variants = [
      gap(),
      gap({ code: 'OPINIONS_SHORT_V2' }),
      gap({ region: 'stage' }),
      gap({ required: '6 opinions' }),
      gap({ actual: '3' }),
      gap({ message: 'another message' }),
    ];
    const kept = new MigrationRows();
    kept.add(variants.map((g, i) => row(`u${i}`, [g])));
    const rows = kept.rows();
    expect(rows.map((r) => r.gaps[0])).toStrictEqual(variants);
    expect(new Set(rows.map((r) => r.gaps[0])).size).toBe(variants.length);
  });

  it('has no rows before any batch', () => {
    expect(new MigrationRows().rows()).toStrictEqual([]);
  });
});
