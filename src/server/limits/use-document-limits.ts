import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ValidationContext, ValidationRule } from 'graphql';
import { Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitCode } from './errors.js';
import { limitError } from './errors.js';

export interface DocumentLimitsOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

/** Armor's rules throw a bare "Syntax Error"; report a coded error through the validation context instead. */
function reporting(code: LimitCode, message: (n: number) => string, n: number) {
  return {
    n,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null) => {
        context?.reportError(limitError(code, message(n), { limit: n }));
      },
    ],
  };
}

/**
 * Counts tokens up to the limit only, so a flood costs no more than a legal
 * document. A syntax error ends the count: parsing reports it.
 */
function tokensExceed(query: string, limit: number): boolean {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 1; lexer.advance().kind !== TokenKind.EOF; count++) if (count > limit) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * Static limits on the shape of a document: nesting depth, aliases,
 * directives (validation rules) and tokens (counted before parsing, so a
 * flood never becomes a tree; and not in a parse hook, whose errors yoga
 * answers with 200). All run before the context is built, so a
 * refused document costs no database work.
 */
export function useDocumentLimits(options: DocumentLimitsOptions): Plugin {
  const rules: ValidationRule[] = [
    maxDepthRule(reporting('QUERY_TOO_DEEP', (n) => `The operation nests deeper than ${n} levels; ask for less nested data.`, options.maxDepth)),
    maxAliasesRule(reporting('TOO_MANY_ALIASES', (n) => `The operation uses more than ${n} aliases; split it into several requests.`, options.maxAliases)),
    maxDirectivesRule(reporting('TOO_MANY_DIRECTIVES', (n) => `The operation uses more than ${n} directives.`, options.maxDirectives)),
  ] as ValidationRule[];
  return {
    onParams({ params, setResult }) {
      if (typeof params.query === 'string' && tokensExceed(params.query, options.maxTokens)) {
        setResult({ errors: [limitError('TOO_MANY_TOKENS', `The document has more than ${options.maxTokens} tokens; send a smaller operation.`, { limit: options.maxTokens })] });
      }
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}
