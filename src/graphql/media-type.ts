import type { FastifyReply, FastifyRequest } from 'fastify';

export const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** The media type a client asked for: the GraphQL-over-HTTP one when it lists it, else plain JSON. */
export function wantsGraphQLResponse(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes(GRAPHQL_RESPONSE);
}

/**
 * Answers a request refused as a whole, before GraphQL ran: `{ errors }` without `data` (a request error) in the media
 * type the client asked for, with the status given.
 */
export function refuseRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  errors: readonly object[],
): FastifyReply {
  return reply
    .code(status)
    .type(wantsGraphQLResponse(request) ? GRAPHQL_RESPONSE : 'application/json')
    .send({ errors });
}
