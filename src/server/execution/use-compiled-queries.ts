/**
 * Runs queries through graphql-jit: each document is compiled once into
 * plain functions that resolve and serialise its fields, instead of walking
 * the document for every field of every answer. A dashboard answer holds
 * thousands of fields, and the walk is much of its time once its cells are
 * cached. Only queries whose root fields are all in `rootFields` (the KPI
 * catalogue) are compiled: record pages lean on Pothos' Prisma plugin, which
 * plans its joins from graphql-js's resolve info, and mutations and
 * subscriptions are small and keep the specification's executor.
 */
import type { Plugin } from '@envelop/core';
import { makeExecute } from '@envelop/core';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { BREAK, Kind, TypeInfo, getNamedType, getOperationAST, isScalarType, isSpecifiedScalarType, valueFromASTUntyped, visit, visitWithTypeInfo } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { readsOnly } from './root-fields.js';
import type { CompiledQuery } from 'graphql-jit';

export interface CompiledQueriesOptions {
  /** Queries whose root fields are all in this set are compiled. */
  rootFields: ReadonlySet<string>;
  /** Told when a document cannot be compiled; it then runs on graphql-js's executor. */
  onCompileError?: (errors: readonly Error[]) => void;
}

interface Compiled {
  query: CompiledQuery['query'] | undefined;
  operation: OperationDefinitionNode;
}

/**
 * The variables with each omitted one that has a default given its default
 * (as a client would send it). graphql-jit reports an omitted non-null
 * variable as missing even when the operation gives it a default.
 */
function withDefaults(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | null | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && !(name in values)) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

/**
 * Whether a document writes a value of one of our own scalars (DateTime,
 * Decimal, JSON) inline. graphql-jit writes inline arguments into its
 * generated code as source text, which keeps strings, numbers and enums but
 * not the objects our scalars parse to (a date's calendar day, say); such
 * documents run on graphql-js. Values passed as variables are unaffected.
 */
function hasInlineCustomScalar(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  const inline = () => {
    const type = typeInfo.getInputType();
    const named = type ? getNamedType(type) : undefined;
    if (named && isScalarType(named) && !isSpecifiedScalarType(named)) {
      found = true;
      return BREAK;
    }
    return undefined;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // Defaults of variables reach the compiled query as variables (withDefaults).
      [Kind.VARIABLE_DEFINITION]: () => false,
      [Kind.STRING]: inline,
      [Kind.INT]: inline,
      [Kind.FLOAT]: inline,
      [Kind.BOOLEAN]: inline,
      [Kind.OBJECT]: inline,
      [Kind.LIST]: inline,
      [Kind.ENUM]: inline,
    }),
  );
  return found;
}

export interface CompiledQueries {
  plugin: Plugin;
  /** Executions by executor: KPI queries compiled, and those that fell back to graphql-js. */
  counters: { compiled: number; fellBack: number };
}

export function useCompiledQueries(options: CompiledQueriesOptions): CompiledQueries {
  const counters = { compiled: 0, fellBack: 0 };
  const compiledByDocument = new WeakMap<DocumentNode, Map<string, Compiled>>();

  const compiled = (args: ExecutionArgs, operation: OperationDefinitionNode): Compiled => {
    let byName = compiledByDocument.get(args.document);
    if (!byName) compiledByDocument.set(args.document, (byName = new Map()));
    const name = args.operationName ?? '';
    let entry = byName.get(name);
    if (!entry) {
      const result = hasInlineCustomScalar(args.schema, args.document) ? undefined : compileQuery(args.schema, args.document, args.operationName ?? undefined);
      if (!result) entry = { query: undefined, operation };
      else if (isCompiledQuery(result)) entry = { query: result.query.bind(result), operation };
      else {
        options.onCompileError?.(result.errors ?? []);
        entry = { query: undefined, operation };
      }
      byName.set(name, entry);
    }
    return entry;
  };

  const execute = makeExecute((args) => {
    const operation = getOperationAST(args.document, args.operationName)!;
    const { query } = compiled(args, operation);
    return query!(args.rootValue, args.contextValue, withDefaults(operation, args.variableValues)) as ExecutionResult | Promise<ExecutionResult>;
  });

  const plugin: Plugin = {
    onExecute({ args, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query' || !readsOnly(operation, options.rootFields)) return;
      if (compiled(args, operation).query) {
        counters.compiled++;
        setExecuteFn(execute);
      } else counters.fellBack++;
    },
  };
  return { plugin, counters };
}
