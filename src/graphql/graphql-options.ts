import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import type { RequestContext } from '../common/request-context.js';
import { principalFromHeader } from '../auth/bearer.js';
import type { Principal } from '../auth/principal.js';

export function graphqlOptions(config: AppConfig): Omit<MercuriusDriverConfig, 'driver'> {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    graphiql: !config.production,
    queryDepth: config.graphql.maxDepth,
    context: (request: FastifyRequest, reply: FastifyReply): RequestContext => {
      let principal: Principal | undefined;
      return {
        request,
        reply,
        cache: new Map(),
        principal: () => (principal ??= principalFromHeader(request.headers.authorization, config.jwtSecret)),
      };
    },
  };
}
