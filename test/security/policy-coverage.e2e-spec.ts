import { Args, GraphQLSchemaHost, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { Policy } from '../../src/auth/policy.decorator.js';
import { COMMAND_POLICY } from '../../src/auth/policy.js';
import {
  missingPolicies,
  registeredResolvers,
  resolverEntries,
  ResolverEntry,
} from '../support/security-policy-walk.js';
import { startTestApp, TestApp } from '../support/test-app.js';

/**
 * Walks the schema the application serves and Nest's resolver metadata: every Query, Mutation and Subscription field, and every
 * field of Unit (or any other type) that has a resolver method, declares a policy of the policy table.
 */
describe('every query, mutation and resolved field declares its policy', () => {
  let sut: TestApp;
  let entries: ResolverEntry[];

  beforeAll(async () => {
    // time-travel mode: advanceClock is part of the schema too
    sut = await startTestApp({ timeTravel: true });
    entries = registeredResolvers(sut.app).flatMap((c) => resolverEntries(c));
  });
  afterAll(async () => {
    await sut.close();
  });

  it('every root field of the served schema has a resolver method with a policy', () => {
    const schema = sut.app.get(GraphQLSchemaHost).schema;
    const byField = new Map(entries.map((e) => [e.field, e]));
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((type) =>
      Object.keys(type.getFields()).map((f) => `${type.name}.${f}`),
    );
    expect(roots).toEqual(
      expect.arrayContaining([
        'Query.unit',
        'Query.units',
        'Query.replay',
        'Query.verifyHistory',
        'Query.unitAsOf',
        'Mutation.sendEvent',
        'Mutation.advanceClock',
        'Subscription.unitChanged',
        'Subscription.rollupChanged',
      ]),
    );
    expect(roots.filter((f) => !byField.has(f))).toEqual([]);
    expect(missingPolicies(roots.map((f) => byField.get(f)!))).toEqual([]);
  });

  it('every field with a resolver method (Unit.parent, children, history, …) has a policy, and it names the policy table', () => {
    const schema = sut.app.get(GraphQLSchemaHost).schema;
    const resolved = entries.filter((e) => !/^(Query|Mutation|Subscription)\./.test(e.field));
    expect(resolved.map((e) => e.field)).toEqual(
      expect.arrayContaining([
        'Unit.parent',
        'Unit.children',
        'Unit.history',
        'Unit.progress',
        'Unit.transitions',
        'Unit.attempts',
      ]),
    );
    // each is a field of a served type
    for (const e of resolved) {
      const [type, field] = e.field.split('.');
      const served = schema.getType(type);
      expect({ field: e.field, served: isObjectType(served) && field in served.getFields() }).toEqual({
        field: e.field,
        served: true,
      });
    }
    expect(missingPolicies(entries)).toEqual([]);
    const known = new Set<unknown>([...Object.keys(COMMAND_POLICY), 'command']);
    expect(entries.filter((e) => !known.has(e.policy)).map((e) => e.field)).toEqual([]);
    expect(entries.filter((e) => e.policy === 'command').map((e) => e.field)).toEqual(['Mutation.sendEvent']);
  });

  it('the checker finds a resolver method without a policy (a dummy resolver)', () => {
    // defined here, after the application booted, so that it never joins the served schema
    @Resolver()
    class Dummy {
      @Policy('read')
      @Query(() => String)
      declared() {
        return '';
      }
      @Query(() => String)
      forgotten() {
        return '';
      }
      @Mutation(() => String, { name: 'renamedMutation' })
      forgottenMutation(@Args('x') x: string) {
        return x;
      }
      helper() {
        return 'not a resolver';
      }
    }
    @Resolver('Unit')
    class DummyUnitFields {
      @ResolveField(() => String)
      secret(@Parent() unit: { id: string }) {
        return unit.id;
      }
      @Policy('read')
      @ResolveField('safe', () => String)
      safeField() {
        return '';
      }
    }
    const dummy = [...resolverEntries(Dummy), ...resolverEntries(DummyUnitFields)];
    expect(dummy.map((e) => e.field).sort()).toEqual([
      'Mutation.renamedMutation',
      'Query.declared',
      'Query.forgotten',
      'Unit.safe',
      'Unit.secret',
    ]);
    expect(missingPolicies(dummy).sort()).toEqual([
      'Mutation.renamedMutation (Dummy.forgottenMutation)',
      'Query.forgotten (Dummy.forgotten)',
      'Unit.secret (DummyUnitFields.secret)',
    ]);
  });
});
