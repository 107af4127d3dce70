import { genesisHash } from '../history/hash-chain.js';
import { loadGenesisHash } from './country-import.js';

describe('the importer’s genesis hash', () => {
  it('is the bytes genesisHash writes for a unit started on rulebook 1, whatever its id, kind and leaders', () => {
    for (const [unitId, kind, leaderCount] of [
      ['0143acf2-5800-7000-a00b-8706c4fb2627', 'LEADERSHIP_BODY', 15],
      ['village_7', 'GRASSROOTS', 0],
      ['x', 'TOWNSHIP_STREET', 1000],
    ] as const)
      expect(loadGenesisHash(unitId, kind, leaderCount)).toBe(
        genesisHash({ unitId, kind, leaderCount, rulebookVersion: 1 }),
      );
  });
});
