import { GraphQLError } from 'graphql';

/** A problem with one input field, reported with its path. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Bad input: says which field and what to fix; nothing was written. */
export function badUserInput(problems: FieldProblem[] | FieldProblem): GraphQLError {
  const list = Array.isArray(problems) ? problems : [problems];
  const message = list.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new GraphQLError(`Invalid input. ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', problems: list, field: list[0]?.field },
  });
}

/** An ID that does not exist in this workspace (never a hint that it exists elsewhere). */
export function notFound(what: string, id: string | number): GraphQLError {
  return new GraphQLError(`${what} ${id} was not found.`, { extensions: { code: 'NOT_FOUND' } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT' } });
}

/** Formats standard-schema issues (zod) as field problems. */
export function issuesToProblems(
  issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined }>,
  prefix = '',
): FieldProblem[] {
  return issues.map((issue) => {
    const path = (issue.path ?? []).map((segment) =>
      typeof segment === 'object' && segment !== null ? String(segment.key) : String(segment),
    );
    const field = [prefix, ...path].filter(Boolean).join('.') || 'input';
    return { field, message: issue.message };
  });
}
