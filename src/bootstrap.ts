import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppConfig } from './config/app-config.js';
import { AppModule, AppOverrides } from './app.module.js';
import { graphqlOverHttp } from './graphql/graphql-over-http.js';
import { screenLiveMessages } from './live/live-messages.js';
import { registerGraphiql } from './web/graphiql.js';
import { registerPage } from './web/page.js';
import { createPino, PinoNestLogger } from './logging/logger.js';
import { Draining } from './health/draining.js';

/** Builds the application (used by main.ts and by the e2e tests). */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const logger = createPino(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    // a request that arrives while the server closes is answered by Draining (a typed UNAVAILABLE), not by Fastify
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, overrides), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // first of all hooks: a draining instance refuses before any other work is done
  app.get(Draining).install(fastify);
  graphqlOverHttp(fastify, '/graphql', config);
  screenLiveMessages(fastify, config.edge.maxTokens);
  registerPage(fastify);
  if (!config.production) registerGraphiql(fastify);
  return app;
}
