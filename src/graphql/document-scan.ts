import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { ApiErrorCode, apiErrorJson } from '../common/results/api-error-code.js';

/** Brackets of any kind nested deeper than this: refused before parsing, which recurses once per level. */
export const MAX_NESTING = 256;

export type DocumentScan =
  | { verdict: 'ok'; tokens: number; nesting: number }
  | { verdict: 'too-deep'; nesting: number }
  | { verdict: 'too-many-tokens'; tokens: number }
  /** the lexer stopped on a syntax error: within the limits so far, and GraphQL reports the error itself */
  | { verdict: 'syntax-error'; tokens: number; nesting: number };

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * One pass of graphql-js's own lexer over a document (the parser's tokens exactly: strings, block strings with
 * their escapes, and comments are what the parser will see, so this cannot disagree with it), counting tokens the way
 * `parse(…, { maxTokens })` does (comments excluded) and the deepest bracket nesting. The lexer is iterative; the
 * scan stops as soon as either limit is passed, so its work is bounded by `maxTokens` whatever the document's size.
 */
export function scanDocument(query: string, maxTokens: number): DocumentScan {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let depth = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > maxTokens) return { verdict: 'too-many-tokens', tokens };
      if (OPENING.has(token.kind)) {
        if (++depth > MAX_NESTING) return { verdict: 'too-deep', nesting: depth };
        if (depth > nesting) nesting = depth;
      } else if (CLOSING.has(token.kind)) {
        depth--;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return { verdict: 'syntax-error', tokens, nesting };
    throw error;
  }
  return { verdict: 'ok', tokens, nesting };
}

/** The refusal of a document over the token or nesting limit (the same on HTTP and WebSocket), or null within them. */
export function documentSizeRefusal(query: string, maxTokens: number): ReturnType<typeof apiErrorJson> | null {
  const scan = scanDocument(query, maxTokens);
  if (scan.verdict === 'too-deep')
    return apiErrorJson(ApiErrorCode.DOCUMENT_TOO_COMPLEX, `the document nests deeper than ${MAX_NESTING} levels.`);
  if (scan.verdict === 'too-many-tokens')
    return apiErrorJson(ApiErrorCode.DOCUMENT_TOO_COMPLEX, `the document has more than ${maxTokens} tokens.`);
  return null;
}
