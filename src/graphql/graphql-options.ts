import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import type { RequestContext } from '../common/request-context.js';

export function graphqlOptions(config: AppConfig): Omit<MercuriusDriverConfig, 'driver'> {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    graphiql: !config.production,
    queryDepth: config.graphql.maxDepth,
    context: (request: FastifyRequest, reply: FastifyReply): RequestContext => ({ request, reply, cache: new Map() }),
  };
}
