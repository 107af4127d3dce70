import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import type { AppConfig } from '../config/app-config.js';
import { ApiErrorCode, apiErrorJson } from '../common/results/api-error-code.js';
import { authenticationGate, isWebSocketUpgrade } from './authentication-gate.js';
import { documentSizeRefusal } from './document-scan.js';
import type { EdgeSettings } from '../config/edge-settings.js';
import { GRAPHQL_RESPONSE, wantsGraphQLResponse } from './media-type.js';
import { PrincipalCache } from './principal-cache.js';

/** Requests that passed the request-level checks (their 400s, if any, come from GraphQL itself). */
const wellFormed = new WeakSet<FastifyRequest>();

function isRecordOrNull(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value));
}

/** A malformed GraphQL-over-HTTP request (not a GraphQL error): 400 whatever the media type. */
function requestProblem(params: Record<string, unknown>): string | null {
  if (typeof params.query !== 'string' || params.query.trim() === '') return 'query must be a non-empty string';
  if (params.operationName !== undefined && params.operationName !== null && typeof params.operationName !== 'string') {
    return 'operationName must be a string or null';
  }
  if (!isRecordOrNull(params.variables)) return 'variables must be an object or null';
  if (!isRecordOrNull(params.extensions)) return 'extensions must be an object or null';
  return null;
}

function parseQueryParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** U+0000 in a string (PostgreSQL text cannot hold it: the query would fail as an internal error), as a JSON or GraphQL escape. */
function containsNul(query: string, variables: unknown): boolean {
  if (query.includes('\u0000') || /\\u(0000|\{0+\})/i.test(query)) return true;
  // iterative: variables may nest as deep as JSON.parse allows
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) pending.push(key, inner);
    }
  }
  return false;
}

/**
 * A GET naming no operation of its document (Mercurius's GET-only mutation check crashes on it): the GraphQL answer
 * a POST gets. Null when the document does not parse (GraphQL reports that itself) or names its operation.
 */
function unknownOperation(query: string, operationName: unknown): string | null {
  let document;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  if (getOperationAST(document, typeof operationName === 'string' ? operationName : undefined)) return null;
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
  if (typeof operationName === 'string') return `Unknown operation named "${operationName}".`;
  return operations === 0
    ? 'the document has no operation'
    : 'Must provide operation name if query contains multiple operations.';
}

/**
 * Mercurius reads a query that fails to parse as a JSON document AST when it can, and hands that to validation
 * unchecked (a malformed one fails there as an internal error). Valid JSON is never a valid GraphQL document, so such a
 * query gets the parser's own syntax error instead, as any other unparsable document does.
 */
function jsonInsteadOfGraphQL(query: string): GraphQLError | null {
  try {
    JSON.parse(query);
  } catch {
    return null;
  }
  try {
    parse(query);
    return null;
  } catch (error) {
    return error instanceof GraphQLError ? error : null;
  }
}

/** Why a document is refused before GraphQL sees it, or null. Its size and nesting first: everything after parses it. */
function documentRefusal(
  query: string,
  params: Record<string, unknown>,
  method: string,
  maxTokens: number,
): { message: string; extensions?: object } | null {
  const tooLarge = documentSizeRefusal(query, maxTokens);
  if (tooLarge) return tooLarge;
  if (containsNul(query, params.variables))
    return apiErrorJson(ApiErrorCode.BAD_USER_INPUT, 'strings may not contain U+0000.');
  const notGraphQL = jsonInsteadOfGraphQL(query);
  if (notGraphQL) return notGraphQL.toJSON();
  const unknown = method === 'GET' ? unknownOperation(query, params.operationName) : null;
  return unknown === null ? null : { message: unknown };
}

/**
 * Makes the Mercurius endpoint follow the GraphQL-over-HTTP spec (graphql-http's audit: 0 errors, 0 warnings) and
 * bounds the work a request can cause before GraphQL runs: the bearer token checked before the body is read
 * (authentication-gate.ts); request-level checks answered 400 before GraphQL runs; a document's tokens and nesting
 * counted by graphql-js's own lexer before anything parses it; null `extensions` accepted; the
 * `application/graphql-response+json` media type when asked for, with 4xx and no `data` on documents that fail to
 * parse or validate; and with plain JSON, such failures answered 200 as the spec recommends.
 */
export function graphqlOverHttp(
  fastify: FastifyInstance,
  path: string,
  config: AppConfig,
  settings: EdgeSettings = config.edge,
): void {
  authenticationGate(fastify, {
    path,
    principals: new PrincipalCache(config.jwtSecret),
    settings,
  });

  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== path || isWebSocketUpgrade(request)) return;
    let params: Record<string, unknown>;
    if (request.method === 'POST') {
      // CSRF: a browser can send a cross-site form or text/plain post without a preflight, never a JSON one
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return reply
          .code(415)
          .type('application/json')
          .send({ errors: [{ message: 'POST /graphql takes Content-Type: application/json' }] });
      }
      if (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body)) {
        return reply
          .code(400)
          .type('application/json')
          .send({ errors: [{ message: 'the body must be a JSON object' }] });
      }
      params = request.body as Record<string, unknown>;
    } else {
      const query = request.query as Record<string, unknown>;
      params = { ...query, variables: parseQueryParam(query.variables), extensions: parseQueryParam(query.extensions) };
    }
    const problem = requestProblem(params);
    if (problem) {
      return reply
        .code(400)
        .type(wantsGraphQLResponse(request) ? GRAPHQL_RESPONSE : 'application/json')
        .send({ errors: [{ message: problem }] });
    }
    const graphQLResponse = wantsGraphQLResponse(request);
    const refusal = documentRefusal(params.query as string, params, request.method, settings.maxTokens);
    if (refusal) {
      // a document GraphQL would refuse: 400 without data for graphql-response+json, 200 with data null for plain JSON
      return graphQLResponse
        ? reply
            .code(400)
            .type(GRAPHQL_RESPONSE)
            .send({ errors: [refusal] })
        : reply
            .code(200)
            .type('application/json')
            .send({ data: null, errors: [refusal] });
    }
    wellFormed.add(request);
    if (request.method === 'POST') {
      const body = params;
      if (body.extensions === null) delete body.extensions;
      if (body.variables === null) delete body.variables;
      if (body.operationName === null) delete body.operationName;
    }
  });

  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.routeOptions.url !== path) return payload;
    const graphQLResponse = wantsGraphQLResponse(request);
    if (graphQLResponse) reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`);
    // Mercurius answers a document that fails to parse, validate or coerce its variables with 400 and data: null.
    // Only a well-formed request reaches GraphQL; a body that is not JSON keeps its 400.
    if (reply.statusCode !== 400 || typeof payload !== 'string' || !wellFormed.has(request)) return payload;
    let body: { data?: unknown; errors?: unknown };
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    if (!Array.isArray(body.errors) || !('data' in body) || body.data !== null) return payload;
    if (!graphQLResponse) {
      reply.code(200);
      return payload;
    }
    return JSON.stringify({ errors: body.errors });
  });
}
