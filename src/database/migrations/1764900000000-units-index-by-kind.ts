import { MigrationInterface, QueryRunner } from 'typeorm';
import { replaceIndexes } from './replace-indexes.js';

const LEVELS = [0, 1, 2, 3, 4, 5];

/**
 * The units' level indexes take the kind before the phase: `(l{d}_id, kind, phase, id)` instead of
 * `(l{d}_id, phase, id)`. A page of `units(underId, kind, phase)` then merges one range per kind and phase not given,
 * each read no further than the page. Before, a subtree without a phase was sorted whole to take its first page, and
 * a kind was a filter (75–92 ms at 200,000 units on SQLite, in one synchronous statement; ~20 times that for the
 * whole country).
 */
export class UnitsIndexByKind1764900000000 implements MigrationInterface {
  name = 'UnitsIndexByKind1764900000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(
      queryRunner,
      'units',
      LEVELS.map((d) => ({
        old: `ix_units_l${d}_phase`,
        name: `ix_units_l${d}_kind`,
        columns: [`l${d}_id`, 'kind', 'phase', 'id'],
      })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(
      queryRunner,
      'units',
      LEVELS.map((d) => ({
        old: `ix_units_l${d}_kind`,
        name: `ix_units_l${d}_phase`,
        columns: [`l${d}_id`, 'phase', 'id'],
      })),
    );
  }
}
