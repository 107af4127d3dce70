import { COMMAND_POLICY } from '../../src/auth/policy.js';
import { ROLES } from '../../src/auth/principal.js';
import { EXPECTED_ACCESS } from './expected-access.js';

/**
 * The hand-written table of who may do what and the service's policy table must say the same: a change to either
 * alone fails here (and the authorization matrix then checks the service against the hand-written one over HTTP).
 */
describe('the policy table says what the hand-written expectations say', () => {
  /** The policy table seen as the expectations are written: each operation, each role, allowed or not. */
  const fromPolicy = Object.fromEntries(
    Object.entries(COMMAND_POLICY).map(([operation, roles]) => [
      operation,
      Object.fromEntries(ROLES.map((role) => [role, (roles as readonly string[]).includes(role)])),
    ]),
  );

  it('the same operations', () => {
    expect(Object.keys(EXPECTED_ACCESS).sort()).toEqual(Object.keys(COMMAND_POLICY).sort());
  });

  it.each(Object.keys(COMMAND_POLICY))('%s: the same roles', (operation) => {
    expect(fromPolicy[operation]).toEqual(EXPECTED_ACCESS[operation as keyof typeof EXPECTED_ACCESS]);
  });

  it('every row names each role once and nothing else', () => {
    for (const [operation, row] of Object.entries(EXPECTED_ACCESS))
      expect({ operation, roles: Object.keys(row).sort() }).toEqual({ operation, roles: [...ROLES].sort() });
  });

  it('the policy table lists known roles only, each once', () => {
    for (const [operation, roles] of Object.entries(COMMAND_POLICY)) {
      expect({
        operation,
        unknown: roles.filter((r) => !(ROLES as readonly string[]).includes(r)),
        repeated: roles.length - new Set(roles).size,
      }).toEqual({ operation, unknown: [], repeated: 0 });
    }
  });
});
