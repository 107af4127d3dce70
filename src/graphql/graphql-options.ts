import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import type { AppConfig } from '../config/app-config.js';
import type { RequestContext } from '../common/request-context.js';
import type { Principal } from '../auth/principal.js';
import { verifiedPrincipalOf } from './authentication-gate.js';
import { documentLimitsRule } from './document-limits.js';
import type { EdgeSettings } from '../config/edge-settings.js';
import { PrincipalCache } from './principal-cache.js';
import { maskingErrorFormatter } from './error-masking.js';
import { newDocumentBudget } from './new-document-budget.js';
import { strictDateTime } from './strict-date-time.js';
import { localizedMessages } from '../i18n/localized-messages.js';
import { liveSubscriptionOptions } from '../live/live-context.js';
import { validateSubscriptionDocument } from '../live/subscription-documents.js';

export function graphqlOptions(
  config: AppConfig,
  settings: EdgeSettings = config.edge,
): Omit<MercuriusDriverConfig, 'driver'> {
  const validationRules: ValidationRule[] = [documentLimitsRule(config.graphql)];
  if (config.production) validationRules.push(NoSchemaIntrospectionCustomRule);
  const principals = new PrincipalCache(config.jwtSecret);
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    // GraphiQL is served by the service itself, from its npm packages (src/web/graphiql.ts), not from a CDN
    graphiql: false,
    allowBatchedQueries: false,
    jit: 1,
    validationRules,
    // The HTTP edge refuses a document of more tokens before Mercurius sees it (graphql-over-http.ts); the parser's own
    // cap holds for any other way in. Suggestions name schema members: none in production (error-masking.ts strips
    // those the validator is not asked about, e.g. a variable's enum value).
    graphql: {
      parseOptions: { maxTokens: settings.maxTokens },
      validateOptions: { hideSuggestions: config.production } as { maxErrors?: number },
    },
    // live updates: graphql-ws on the same path, authenticated in connection_init (src/live)
    subscription: liveSubscriptionOptions(settings, principals) as never,
    hooks: {
      ...(settings.newDocumentsPerMinute > 0
        ? { preValidation: newDocumentBudget(settings.newDocumentsPerMinute) as never }
        : {}),
      preSubscriptionExecution: validateSubscriptionDocument(validationRules) as never,
    },
    transformSchema: (schema) => localizedMessages(strictDateTime(schema)),
    errorFormatter: maskingErrorFormatter(config.production) as never,
    context: (request: FastifyRequest, reply: FastifyReply): RequestContext => {
      let principal: Principal | undefined;
      return {
        request,
        reply,
        cache: new Map(),
        // verified before the body was read (authentication-gate.ts); verified here only if the gate is not installed
        principal: () =>
          (principal ??= verifiedPrincipalOf(request) ?? principals.principalOf(request.headers.authorization)),
      };
    },
  };
}
