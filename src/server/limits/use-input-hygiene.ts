import type { ASTNode, GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './errors.js';

export interface InputHygieneOptions {
  /** Most items a list in the variables may have. */
  maxListItems: number;
  /** Deepest nesting of objects and lists in the variables. */
  maxDepth: number;
}

type Problem = { field: string; message: string };

const nulMessage = 'contains a NUL character (\\u0000), which no text field can store; remove it.';

/**
 * The first problem in the variables: a NUL character in a string (no text
 * column can hold one), a list over the limit, nesting over the limit.
 * Iterative, so that a value nested thousands deep costs no stack.
 */
function variablesProblem(variables: Record<string, unknown>, options: InputHygieneOptions): Problem | null {
  const stack: { value: unknown; path: string; depth: number }[] = Object.entries(variables).map(([name, value]) => ({ value, path: `$${name}`, depth: 1 }));
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path, message: nulMessage };
    } else if (typeof value === 'object' && value !== null) {
      if (depth > options.maxDepth) return { field: path, message: `nests deeper than ${options.maxDepth} levels.` };
      if (Array.isArray(value)) {
        if (value.length > options.maxListItems) return { field: path, message: `has ${value.length} items; at most ${options.maxListItems} are allowed in one list.` };
        value.forEach((item, index) => stack.push({ value: item, path: `${path}.${index}`, depth: depth + 1 }));
      } else {
        for (const [key, item] of Object.entries(value)) {
          if (key.includes('\u0000')) return { field: path, message: `has a key that ${nulMessage}` };
          stack.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
        }
      }
    }
  }
  return null;
}

/** The argument path of a literal in the document, e.g. `filter.search`. */
function literalPath(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const names: string[] = [];
  for (const ancestor of ancestors) {
    if (Array.isArray(ancestor)) continue;
    const node = ancestor as ASTNode;
    if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) names.push(node.name.value);
  }
  return names.join('.') || 'document';
}

/** NUL characters in the document's string literals (written as \u0000). */
const noNulLiterals: ValidationRule = (context: ValidationContext) => ({
  StringValue(node, _key, parent, _path, ancestors) {
    if (node.value.includes('\u0000')) {
      const field = literalPath(parent ? [...ancestors, parent] : ancestors);
      context.reportError(limitError('BAD_USER_INPUT', `Invalid input. ${field}: ${nulMessage}`, { field }));
    }
  },
});

/**
 * Refuses input that no field could accept before anything runs: NUL
 * characters, over-long lists and over-deep values in the variables
 * (checked on the raw JSON, before coercion), NUL in document literals
 * (a validation rule; the token limit bounds literal lists and depth).
 */
export function useInputHygiene(options: InputHygieneOptions): Plugin {
  return {
    onParams({ params, setResult }) {
      const variables = params.variables;
      if (typeof variables !== 'object' || variables === null) return;
      const problem = variablesProblem(variables as Record<string, unknown>, options);
      if (problem) setResult({ errors: [limitError('BAD_USER_INPUT', `Invalid input. ${problem.field}: ${problem.message}`, { field: problem.field })] });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(noNulLiterals);
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.some((error) => coercionField(error) !== null)) return;
          setResult({ ...result, errors: result.errors.map((error) => withInputCode(error)) });
        },
      };
    },
  };
}

/** The variable a coercion error of graphql-js is about (`$input.scope.stage`), or null for any other error. */
function coercionField(error: GraphQLError): string | null {
  if (error.extensions?.['code'] !== undefined || error.path) return null;
  const match = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" (?:got invalid value .*?(?: at "([^"]+)")?;|of required type|of non-null type)/s.exec(error.message);
  if (!match) return null;
  return `$${match[2] ?? match[1]!}`;
}

/** A variable that does not fit its type is the caller's mistake: BAD_USER_INPUT naming it. */
function withInputCode(error: GraphQLError): GraphQLError {
  const field = coercionField(error);
  if (field === null) return error;
  return limitError('BAD_USER_INPUT', error.message, { field });
}
