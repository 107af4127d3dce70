import {
  defaultFieldResolver,
  GraphQLSchema,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
} from 'graphql';
import type { RequestContext } from '../common/request-context.js';
import { localeOf, type Locale } from './locale.js';
import { attemptZh, blockerZh, refusalZh, type BlockerLike } from './zh-cn.js';

type Source = Record<string, unknown>;
type Translate = (typeName: string, source: Source, english: string) => string;

/** The locale of the request a field is resolved for (English over a subscription or without a request). */
export function requestLocale(ctx: Partial<RequestContext> | undefined): Locale {
  if (!ctx?.request) return 'en';
  const cached = ctx.cache?.get('locale') as Locale | undefined;
  if (cached) return cached;
  const locale = localeOf(ctx.request.headers?.['accept-language']);
  ctx.cache?.set('locale', locale);
  return locale;
}

function translatorOf(type: GraphQLObjectType): Translate | null {
  if (type.name === 'Blocker') return (_t, source, english) => blockerZh(source as unknown as BlockerLike, english);
  if (type.name === 'CommandAttempt') return (_t, source, english) => attemptZh(source, english);
  if (type.getInterfaces().some((i) => i.name === 'ErrorResult')) return refusalZh;
  return null;
}

/**
 * The served schema's blocker and refusal messages follow the request's `Accept-Language` (zh-CN or English, the
 * default): `Blocker.message`, the `message` of every ErrorResult and of `CommandAttempt`. Codes, `required` and
 * `actual` never change with the language.
 */
export function localizedMessages(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const translate = translatorOf(type);
    const field = type.getFields().message;
    if (!translate || !field) continue;
    const english: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx, info) => {
      const message = english(source, args, ctx, info);
      if (requestLocale(ctx as Partial<RequestContext>) === 'en' || typeof message !== 'string') return message;
      return translate(type.name, source as Source, message);
    };
  }
  return schema;
}
