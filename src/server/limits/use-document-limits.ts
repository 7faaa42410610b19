import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { DocumentNode, ParseOptions, Source, ValidationContext, ValidationRule } from 'graphql';
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
 * Static limits on the shape of a document: nesting depth, aliases,
 * directives (validation rules) and tokens (while parsing, so a flood is cut
 * off before it becomes a tree). All run before the context is built, so a
 * refused document costs no database work.
 */
export function useDocumentLimits(options: DocumentLimitsOptions): Plugin {
  const rules: ValidationRule[] = [
    maxDepthRule(reporting('QUERY_TOO_DEEP', (n) => `The operation nests deeper than ${n} levels; ask for less nested data.`, options.maxDepth)),
    maxAliasesRule(reporting('TOO_MANY_ALIASES', (n) => `The operation uses more than ${n} aliases; split it into several requests.`, options.maxAliases)),
    maxDirectivesRule(reporting('TOO_MANY_DIRECTIVES', (n) => `The operation uses more than ${n} directives.`, options.maxDirectives)),
  ] as ValidationRule[];
  const parseWithTokenLimit = (source: string | Source, parseOptions?: ParseOptions): DocumentNode => {
    const parser = new MaxTokensParserWLexer(source, {
      ...parseOptions,
      n: options.maxTokens,
      onReject: [
        () => {
          throw limitError('TOO_MANY_TOKENS', `The document has more than ${options.maxTokens} tokens; send a smaller operation.`, { limit: options.maxTokens });
        },
      ],
    });
    return parser.parseDocument();
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithTokenLimit);
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}
