import { SetMetadata } from '@nestjs/common';
import type { PolicyName } from './policy.js';

export const POLICY_KEY = 'lookback:policy';

/**
 * Every query, mutation and field that exposes unit data declares its policy (a test walks the schema):
 * a name of the policy table (role check before the resolver runs), or 'command' when the roles depend on the
 * input (sendEvent's event) and the command service checks COMMAND_POLICY before anything else.
 */
export const Policy = (name: PolicyName | 'command') => SetMetadata(POLICY_KEY, name);
