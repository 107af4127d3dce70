import { Inject, Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service.js';
import { forbidden } from '../auth/auth-errors.js';
import type { CommandName } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import { notFound, NotFound } from '../common/results/error-results.js';
import { UnitRow, UnitsRepository } from '../units/units.repository.js';

/**
 * Permission first (DOMAIN.md, API.md): role, then scope on the unit the command acts on, before idempotency or
 * anything else. A scoped principal gets FORBIDDEN, not NotFound, for an id it cannot see.
 */
@Injectable()
export class CommandGate {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UnitsRepository) private readonly units: UnitsRepository,
  ) {}

  async admit(principal: Principal, command: CommandName, unitId: string): Promise<UnitRow | NotFound> {
    this.auth.requireRole(principal, command);
    const unit = await this.units.findById(unitId);
    if (!unit) {
      if (principal.scopeUnitId !== null) throw forbidden(`unit ${unitId} is outside your scope.`);
      return notFound('Unit', unitId);
    }
    this.auth.requireScope(principal, unit.id, unit.ancestors);
    return unit;
  }
}

/** Client input → stored payload: meta fields dropped, dates as ISO strings, undefined left out. */
export function payloadOf(input: object): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'idempotencyKey' || key === 'expectedVersion' || value === undefined) continue;
    payload[key] = value instanceof Date ? value.toISOString() : value;
  }
  return payload;
}
