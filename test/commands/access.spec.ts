import type { GraphQLError } from 'graphql';
import { Access, OUT_OF_SCOPE } from '../../src/commands/access.js';
import type { Principal } from '../../src/auth/principal.js';
import type { UnitRow, UnitsRepository } from '../../src/tree/units.repository.js';

/**
 * The one access rule on its own: roles from the policy table, then the scope's subtree; an id a scoped caller may
 * not see answers exactly as one that does not exist, and a whole-tree caller is told plainly that it does not exist.
 */

// province P → county C → village V; a second county D beside C
const row = (id: string, ancestors: string[]): UnitRow =>
  ({
    id,
    name: id,
    kind: 'X',
    parentId: ancestors.at(-2) ?? null,
    depth: ancestors.length - 1,
    ancestors: [...ancestors, ...Array(6 - ancestors.length).fill(null)],
    leaderCount: 1,
    phase: 'registered',
    createdAt: 0,
    updatedAt: 0,
  }) as UnitRow;
const LONG_ID = 'L'.repeat(64);
// a unit at the deepest level: its ancestor list has no empty slot
const DEEPEST = ['P', 'C', 'V', 'V1', 'V2', 'V3'];
const UNITS = new Map<string, UnitRow>([
  ['P', row('P', ['P'])],
  ['C', row('C', ['P', 'C'])],
  ['V', row('V', ['P', 'C', 'V'])],
  ['D', row('D', ['P', 'D'])],
  [LONG_ID, row(LONG_ID, ['P', LONG_ID])],
  ['V3', row('V3', DEEPEST)],
  ['L'.repeat(65), row('L'.repeat(65), ['P', 'L'.repeat(65)])],
]);

class FakeUnits {
  readonly asked: string[] = [];
  async findById(id: string): Promise<UnitRow | null> {
    this.asked.push(id);
    return UNITS.get(id) ?? null;
  }
  async findByIds(ids: readonly string[]): Promise<UnitRow[]> {
    this.asked.push(...ids);
    return ids.flatMap((id) => UNITS.get(id) ?? []);
  }
}

const admin: Principal = { sub: 'wang', role: 'ADMIN', scopeUnitId: null };
const auditor: Principal = { sub: 'zhao', role: 'AUDITOR', scopeUnitId: null };
const countyOfficer: Principal = { sub: 'li', role: 'OFFICER', scopeUnitId: 'C' };
const countyAdmin: Principal = { sub: 'chen', role: 'ADMIN', scopeUnitId: 'C' };

function refusal(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: (error as GraphQLError).extensions?.code, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
}

async function asyncRefusal(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as GraphQLError).extensions?.code, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
}

function access() {
  const units = new FakeUnits();
  return { sut: new Access(units as unknown as UnitsRepository), units };
}

describe('Access: the one access rule', () => {
  describe('require (role, then scope, of the unit acted on)', () => {
    it('gives the unit to a whole-tree principal of an allowed role, anywhere', async () => {
      const { sut } = access();
      expect((await sut.require(admin, 'fileStudyPlan', 'V'))?.id).toBe('V');
      expect((await sut.require(auditor, 'replay', 'D'))?.id).toBe('D');
      expect((await sut.require(admin, 'fileStudyPlan', 'V3'))?.id).toBe('V3');
    });

    it('gives a scoped principal its scope unit and every unit below it', async () => {
      const { sut } = access();
      expect((await sut.require(countyOfficer, 'fileStudyPlan', 'C'))?.id).toBe('C');
      expect((await sut.require(countyOfficer, 'fileStudyPlan', 'V'))?.id).toBe('V');
    });

    it('refuses a role the policy table does not list before looking at the unit', async () => {
      const { sut, units } = access();
      const refused = await asyncRefusal(sut.require(countyOfficer, 'recordLookBackVerdict', 'V'));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toContain('recordLookBackVerdict');
      expect(units.asked).toEqual([]);
    });

    it('refuses a scoped principal a unit above or beside its scope, naming no id', async () => {
      const { sut } = access();
      for (const outside of ['P', 'D']) {
        expect(await asyncRefusal(sut.require(countyOfficer, 'fileStudyPlan', outside))).toEqual({
          code: 'FORBIDDEN',
          message: OUT_OF_SCOPE,
        });
      }
    });

    it('answers a scoped principal the same for a unit that does not exist as for one outside its scope', async () => {
      const { sut } = access();
      const missing = await asyncRefusal(sut.require(countyOfficer, 'fileStudyPlan', 'nowhere'));
      const outside = await asyncRefusal(sut.require(countyOfficer, 'fileStudyPlan', 'D'));
      expect(missing).toEqual(outside);
      expect(missing.message).not.toContain('nowhere');
    });

    it('tells a whole-tree principal plainly that a unit does not exist (null)', async () => {
      const { sut } = access();
      expect(await sut.require(admin, 'fileStudyPlan', 'nowhere')).toBeNull();
    });
  });

  describe('ids', () => {
    it('looks up an id of up to 64 characters; a longer one exists for nobody, and is not looked up', async () => {
      const { sut, units } = access();
      expect((await sut.requireNamed(admin, LONG_ID))?.id).toBe(LONG_ID);
      expect(await sut.requireNamed(admin, 'L'.repeat(65))).toBeNull();
      expect(units.asked).toEqual([LONG_ID]);
      expect(await asyncRefusal(sut.requireNamed(countyOfficer, 'L'.repeat(65)))).toEqual({
        code: 'FORBIDDEN',
        message: OUT_OF_SCOPE,
      });
    });

    it('treats an id that is not a string as one that does not exist', async () => {
      const { sut, units } = access();
      expect(await sut.requireNamed(admin, 42 as unknown as string)).toBeNull();
      expect(await sut.requireNamed(admin, ['V'] as unknown as string)).toBeNull();
      expect(units.asked).toEqual([]);
    });
  });

  describe('requireNamed (a unit the input names besides the one acted on): scope only', () => {
    it('needs no role, only the scope', async () => {
      const { sut } = access();
      const reader: Principal = { sub: 'x', role: 'AUDITOR', scopeUnitId: 'C' };
      expect((await sut.requireNamed(reader, 'V'))?.id).toBe('V');
      expect(await asyncRefusal(sut.requireNamed(reader, 'D'))).toEqual({ code: 'FORBIDDEN', message: OUT_OF_SCOPE });
    });
  });

  describe('requireWholeTree', () => {
    it('lets an unscoped principal of the role through', () => {
      expect(() => access().sut.requireWholeTree(admin, 'createAuditCheckpoint')).not.toThrow();
    });

    it('refuses a scoped principal even of the right role, saying the operation covers the whole tree', () => {
      const refused = refusal(() => access().sut.requireWholeTree(countyAdmin, 'createAuditCheckpoint'));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toContain('createAuditCheckpoint covers the whole tree');
    });

    it('refuses a role the policy table does not list', () => {
      const refused = refusal(() => access().sut.requireWholeTree(auditor, 'createAuditCheckpoint'));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).not.toContain('whole tree');
    });
  });

  describe('inScope', () => {
    it('is true everywhere for a whole-tree principal, and for a scoped one only at or below its scope', () => {
      const { sut } = access();
      expect(['P', 'C', 'V', 'D', 'V3'].map((id) => sut.inScope(admin, UNITS.get(id)!))).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect(['P', 'C', 'V', 'D', 'V3'].map((id) => sut.inScope(countyOfficer, UNITS.get(id)!))).toEqual([
        false,
        true,
        true,
        false,
        true,
      ]);
    });
  });

  describe('visibleIds (what a read shows; the rest is shown as null)', () => {
    it('shows a whole-tree principal every id asked for, once, without looking them up', async () => {
      const { sut, units } = access();
      expect([...(await sut.visibleIds(admin, ['V', 'D', 'V', 'nowhere']))].sort()).toEqual(['D', 'V', 'nowhere']);
      expect(units.asked).toEqual([]);
    });

    it('shows a scoped principal only the existing ids in its subtree', async () => {
      const { sut } = access();
      expect([...(await sut.visibleIds(countyOfficer, ['P', 'C', 'V', 'D', 'nowhere', 'V']))].sort()).toEqual([
        'C',
        'V',
      ]);
    });

    it('never looks up an id longer than 64 characters, nor a value that is not a string', async () => {
      const { sut, units } = access();
      const ids = ['V', LONG_ID, 'L'.repeat(65), 7 as unknown as string, ['D'] as unknown as string];
      expect([...(await sut.visibleIds(admin, ids))]).toEqual(['V', LONG_ID]);
      await sut.visibleIds(countyOfficer, ids);
      expect(units.asked).toEqual(['V', LONG_ID]);
    });
  });
});
