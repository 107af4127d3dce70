import { Injectable } from '@nestjs/common';
import { forbidden } from './auth-errors.js';
import type { Principal } from './principal.js';
import { COMMAND_POLICY, CommandName } from './policy.js';

@Injectable()
export class AuthService {
  /** Role check of the policy table (before anything else is looked at). */
  requireRole(principal: Principal, command: CommandName): void {
    const roles: readonly string[] = COMMAND_POLICY[command];
    if (!roles.includes(principal.role)) {
      throw forbidden(`${principal.role} may not ${command}: allowed to ${roles.join(', ')}.`);
    }
  }

  /** A principal acts only on its scope's subtree; `ancestors` are the unit's ancestor ids at fixed depths (itself included). */
  inScope(principal: Principal, ancestors: readonly (string | null)[]): boolean {
    return principal.scopeUnitId === null || ancestors.includes(principal.scopeUnitId);
  }

  requireScope(principal: Principal, unitId: string, ancestors: readonly (string | null)[]): void {
    if (!this.inScope(principal, ancestors)) throw forbidden(`unit ${unitId} is outside your scope.`);
  }
}
