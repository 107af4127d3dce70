import { Injectable } from '@nestjs/common';
import type { Principal } from './principal.js';
import { requireRole, type CommandName } from './policy.js';

/** The guard's door to the policy table's role check (scope is the access rule's: src/commands/access.ts). */
@Injectable()
export class AuthService {
  requireRole(principal: Principal, command: CommandName): void {
    requireRole(principal, command);
  }
}
