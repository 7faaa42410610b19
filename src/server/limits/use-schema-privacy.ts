import type { ASTVisitor, ValidationContext } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './errors.js';

export interface SchemaPrivacyOptions {
  /** Allow `__schema` and `__type`; `__typename` is always allowed (clients need it). */
  introspection: boolean;
  /** Keep graphql-js' "Did you mean …?" hints, which let a caller map the schema by guessing. */
  suggestions: boolean;
}

function noIntrospection(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const name = node.name.value;
      if (name === '__schema' || name === '__type') {
        context.reportError(limitError('INTROSPECTION_DISABLED', `Introspection is disabled on this server (the query asked for ${name}).`));
      }
    },
  };
}

const suggestion = /\s*Did you mean [^?]*\?/g;

function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!error.message.includes('Did you mean')) return error;
  return new GraphQLError(error.message.replace(suggestion, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * Hides what the schema looks like from callers who are not meant to read
 * it: introspection off when configured, and suggestions stripped from every
 * result (parse, validation and variable errors alike — armor's plugin only
 * covers validation). Copies the errors, as yoga caches validation results.
 */
export function useSchemaPrivacy(options: SchemaPrivacyOptions): Plugin {
  return {
    onValidate({ addValidationRule }) {
      if (!options.introspection) addValidationRule(noIntrospection);
    },
    onExecutionResult({ result, setResult }) {
      if (options.suggestions || !result || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: result.errors.map((error) => (error instanceof GraphQLError ? withoutSuggestion(error) : error)) });
    },
  };
}
