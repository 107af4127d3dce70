import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Type } from '@nestjs/common';
import type { GraphQLError } from 'graphql';
import { apiError, ApiErrorCode } from './results/api-error-code.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;
  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Relay connection types: `NameConnection { edges { cursor node } pageInfo }`. */
export function Connection<T>(nodeType: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;
    @Field(() => nodeType)
    node: T;
  }
  @ObjectType(`${name}Connection`, { isAbstract: false })
  class ConnectionType implements Page<T> {
    @Field(() => [Edge])
    edges: Edge[];
    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

export function badArgument(message: string): GraphQLError {
  return apiError(ApiErrorCode.BAD_USER_INPUT, message);
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE)
    throw badArgument(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}.`);
  return first;
}

/** Cursors are opaque to clients: base64url of a sort key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key === '' || encodeCursor(key) !== cursor)
    throw badArgument(`after: "${cursor}" is not a cursor from this service.`);
  return key;
}

/** Build a page from `limit + 1` rows fetched in key order. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => string | number, node: (row: R) => T): Page<T> {
  const hasNextPage = rows.length > limit;
  const kept = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = kept.map((row) => ({ cursor: encodeCursor(key(row)), node: node(row) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}
