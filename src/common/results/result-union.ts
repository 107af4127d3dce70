import { createUnionType } from '@nestjs/graphql';

type Class = abstract new (...args: never[]) => unknown;

/**
 * A mutation's result: its success type or one of the typed failures. Every value carries `__typename`
 * (set by the result classes), so the union resolves without guessing.
 */
export function resultUnion<T extends readonly [Class, ...Class[]]>(
  name: string,
  types: () => T,
  description?: string,
) {
  return createUnionType({
    name,
    description,
    types: types as never,
    resolveType: (value: { __typename?: string }) => value.__typename,
  });
}
