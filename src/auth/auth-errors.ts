import { GraphQLError } from 'graphql';

export const unauthenticated = (message = 'a bearer token is required (Authorization: Bearer …)') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
