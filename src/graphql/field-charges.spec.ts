import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import {
  chargeOf,
  FIELD_CHARGES,
  HISTORY_PROPORTIONAL,
  requestsCharged,
  SUBTREE_PROPORTIONAL,
} from './field-charges.js';

/** The served schema as checked in (a contract test fails when the two drift). */
const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.graphql'), 'utf8'));

describe('field charges', () => {
  it.each(Object.keys(FIELD_CHARGES))(
    '%s names a field of the schema (a renamed field would silently lose its weight)',
    (coordinate) => {
      const [typeName, fieldName] = coordinate.split('.');
      const type = schema.getType(typeName);
      expect(isObjectType(type) && type.getFields()[fieldName] !== undefined).toBe(true);
    },
  );

  it('the history-, subtree- and children-proportional fields, and nothing else, carry a weight', () => {
    const weighted = Object.entries(FIELD_CHARGES).map(([coordinate, charge]) => [coordinate, charge.weight]);
    expect(Object.fromEntries(weighted)).toEqual({
      'Query.verifyHistory': HISTORY_PROPORTIONAL,
      'Query.unitAsOf': HISTORY_PROPORTIONAL,
      'Query.replay': HISTORY_PROPORTIONAL,
      // proportional to a unit's children (a township may have hundreds)
      'Rollup.imbalance': 100,
      'Query.report': 1_000,
      'Mutation.sendEventToSubtree': SUBTREE_PROPORTIONAL,
      'Mutation.migrateUnits': SUBTREE_PROPORTIONAL,
      'Mutation.createAuditCheckpoint': SUBTREE_PROPORTIONAL,
    });
  });

  it('connections page, ordinary fields weigh 1', () => {
    expect(chargeOf('Unit', 'history', 'UnitEventConnection')).toEqual({ weight: 1, page: { default: 20, max: 100 } });
    expect(chargeOf('Unit', 'status', 'UnitStatus')).toEqual({ weight: 1 });
    expect(chargeOf('Query', 'replay', 'Replay')).toEqual({
      weight: HISTORY_PROPORTIONAL,
      page: { default: 100, max: 100 },
    });
  });

  it('the rate limit counts one request per started hundred of cost, at least one', () => {
    expect([1, 100, 101, 200, 10_001].map(requestsCharged)).toEqual([1, 1, 2, 2, 101]);
  });
});
