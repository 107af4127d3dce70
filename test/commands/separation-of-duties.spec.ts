import type { GraphQLError } from 'graphql';
import { SeparationOfDuties } from '../../src/commands/separation-of-duties.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Tx } from '../../src/database/db.js';
import type { HistoryService } from '../../src/history/history.service.js';

/** The principal who requested a look-back may not judge it (a verdict or concluding it), by any path. */
const tx = {} as Tx;
const wang: Principal = { sub: 'wang', role: 'ADMIN', scopeUnitId: null };

function separation(requester: string | null) {
  const asked: unknown[] = [];
  const history = {
    lastActorOf: async (_tx: Tx, unitId: string, type: string) => (asked.push([unitId, type]), requester),
  };
  return { sut: new SeparationOfDuties(history as unknown as HistoryService), asked };
}

describe('separation of duties', () => {
  it('refuses the requester a verdict on, or the conclusion of, its own look-back', async () => {
    for (const type of ['LOOKBACK_VERDICT', 'CONCLUDE_LOOKBACK'] as const) {
      const { sut, asked } = separation('wang');
      const error = (await sut.check(tx, wang, 'u-1', type).catch((e: unknown) => e)) as GraphQLError;
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.message).toBe('you requested this look-back and may not judge it.');
      expect(asked).toEqual([['u-1', 'REQUEST_LOOKBACK']]);
    }
  });

  it('lets anyone else judge it, and judges a unit nobody asked to look back', async () => {
    await expect(separation('li').sut.check(tx, wang, 'u-1', 'CONCLUDE_LOOKBACK')).resolves.toBeUndefined();
    await expect(separation(null).sut.check(tx, wang, 'u-1', 'LOOKBACK_VERDICT')).resolves.toBeUndefined();
  });

  it('does not stand in the way of the requester’s other events', async () => {
    for (const type of ['REQUEST_LOOKBACK', 'COMPLETE_STUDY', 'FINDING_ISSUED'] as const) {
      const { sut, asked } = separation('wang');
      await expect(sut.check(tx, wang, 'u-1', type)).resolves.toBeUndefined();
      expect(asked).toEqual([]);
    }
  });
});
