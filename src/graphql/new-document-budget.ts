import type { DocumentNode, GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { RateLimiter } from '../auth/rate-limiter.js';
import type { RequestContext } from '../common/request-context.js';
import { ApiErrorCode } from '../common/results/api-error-code.js';

/**
 * Validating a document the server has not seen costs up to about a hundred milliseconds within the token cap
 * (graphql-js compares every pair of same-named fields; `npm run bench:abuse` prints the worst shapes found), and a
 * document that fails validation is never charged by the rate limit of its fields. A document seen before is
 * answered from Mercurius's cache without either, so what a principal is counted here is new documents: clients send
 * the same few documents with new variables, an attacker sends new documents.
 *
 * A Mercurius `preValidation` hook (it runs only when a document is not in the cache): beyond `perMinute` new
 * documents a minute, a principal's next one is refused RATE_LIMITED (429) before it is validated.
 */
export function newDocumentBudget(perMinute: number) {
  const limiter = new RateLimiter(perMinute);
  return async (_schema: GraphQLSchema, _document: DocumentNode, context: RequestContext): Promise<void> => {
    const now = Date.now();
    if (limiter.take(context.principal().sub, now)) return;
    context.reply.header('retry-after', String(Math.ceil(RateLimiter.msToNextWindow(now) / 1000)));
    const message = `rate limit: at most ${perMinute} new documents a minute per principal (a document sent before is not counted).`;
    // the 4xx status of a request refused as a whole (error-masking.ts keeps it)
    throw new GraphQLError(message, {
      extensions: { code: ApiErrorCode.RATE_LIMITED },
      originalError: Object.assign(new Error(message), { statusCode: 429 }),
    });
  };
}
