import { Inject, Injectable } from '@nestjs/common';
import { forbidden } from '../auth/auth-errors.js';
import { requireRole, type CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { UnitsRepository, type UnitRow } from '../tree/units.repository.js';
import { MAX_ID_LENGTH } from './input-rules.js';

/** The one message for a unit a scoped principal may not see: the same whether or not it exists, and no id in it. */
export const OUT_OF_SCOPE = 'the unit is outside your scope.';

/**
 * The one access rule of the service, used by every read and every write: the operation's roles come from the
 * policy table, and a principal acts only on its scope's subtree. A unit outside the scope answers exactly as a
 * unit that does not exist (FORBIDDEN, naming no id) so that no answer tells a scoped caller what lies outside it;
 * a whole-tree principal is told plainly that a unit does not exist (null, for the caller to answer NotFound).
 */
@Injectable()
export class Access {
  constructor(@Inject(UnitsRepository) private readonly units: UnitsRepository) {}

  requireRole(principal: Principal, operation: CommandName): void {
    requireRole(principal, operation);
  }

  /** An operation on the whole tree (a root unit, a checkpoint, the clock): its role, and no scope. */
  requireWholeTree(principal: Principal, operation: CommandName): void {
    this.requireRole(principal, operation);
    if (principal.scopeUnitId !== null)
      throw forbidden(`${operation} covers the whole tree: only a principal without a scope may do it.`);
  }

  /** The answer for a unit the caller may not see (or, if scoped, that does not exist). */
  denied(): never {
    throw forbidden(OUT_OF_SCOPE);
  }

  inScope(principal: Principal, unit: Pick<UnitRow, 'ancestors'>): boolean {
    return principal.scopeUnitId === null || unit.ancestors.includes(principal.scopeUnitId);
  }

  /** The unit an operation acts on: role, then scope. Null only for a whole-tree principal and a unit that does not exist. */
  async require(principal: Principal, operation: CommandName, unitId: string): Promise<UnitRow | null> {
    this.requireRole(principal, operation);
    return this.requireNamed(principal, unitId);
  }

  /** A unit the input names besides the one acted on (who collected an opinion, a lecture's audience): scope only. */
  async requireNamed(principal: Principal, unitId: string): Promise<UnitRow | null> {
    const unit =
      typeof unitId === 'string' && unitId.length <= MAX_ID_LENGTH ? await this.units.findById(unitId) : null;
    if (unit && this.inScope(principal, unit)) return unit;
    if (unit || principal.scopeUnitId !== null) this.denied();
    return null;
  }

  /** Which of these unit ids the principal may see: what it reads shows the others as null. */
  async visibleIds(principal: Principal, ids: Iterable<string>): Promise<Set<string>> {
    const wanted = [...new Set(ids)].filter((id) => typeof id === 'string' && id.length <= MAX_ID_LENGTH);
    if (principal.scopeUnitId === null) return new Set(wanted);
    const rows = await this.units.findByIds(wanted);
    return new Set(rows.filter((row) => this.inScope(principal, row)).map((row) => row.id));
  }
}
