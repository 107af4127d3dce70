import { ModulesContainer } from '@nestjs/core';
import { MetadataScanner } from '@nestjs/core/metadata-scanner.js';
import type { INestApplicationContext } from '@nestjs/common';
import { RESOLVER_NAME_METADATA, RESOLVER_PROPERTY_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { POLICY_KEY } from '../../src/auth/policy.decorator.js';

/** One resolver method as @nestjs/graphql's metadata describes it. */
export interface ResolverEntry {
  /** "Query.unit", "Mutation.createUnit", "Unit.parent" */
  field: string;
  owner: string;
  policy: unknown;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/** The resolver methods of a @Resolver class: root fields (@Query, @Mutation…) and field resolvers (@ResolveField). */
export function resolverEntries(resolverClass: new (...args: never[]) => unknown): ResolverEntry[] {
  const typeName = Reflect.getMetadata(RESOLVER_TYPE_METADATA, resolverClass) as string | undefined;
  const prototype = resolverClass.prototype as Record<string, (...args: unknown[]) => unknown>;
  const entries: ResolverEntry[] = [];
  for (const method of new MetadataScanner().getAllMethodNames(prototype)) {
    const handler = prototype[method];
    const rootType = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
    const name = (Reflect.getMetadata(RESOLVER_NAME_METADATA, handler) as string | undefined) ?? method;
    let field: string | null = null;
    if (rootType !== undefined && ROOTS.has(rootType)) field = `${rootType}.${name}`;
    else if (Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, handler) === true) field = `${typeName ?? '?'}.${name}`;
    if (field !== null)
      entries.push({
        field,
        owner: `${resolverClass.name}.${method}`,
        policy: Reflect.getMetadata(POLICY_KEY, handler),
      });
  }
  return entries;
}

/** Every resolver class the application registered (a class carrying @Resolver metadata). */
export function registeredResolvers(app: INestApplicationContext): (new (...args: never[]) => unknown)[] {
  const classes = new Set<new (...args: never[]) => unknown>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null | undefined;
      if (typeof type === 'function' && Reflect.hasMetadata(RESOLVER_TYPE_METADATA, type)) classes.add(type);
    }
  }
  return [...classes];
}

/** The fields whose resolver declares no policy ("Unit.parent (UnitsResolver.parent)"). */
export function missingPolicies(entries: readonly ResolverEntry[]): string[] {
  return entries.filter((e) => typeof e.policy !== 'string' || e.policy === '').map((e) => `${e.field} (${e.owner})`);
}
