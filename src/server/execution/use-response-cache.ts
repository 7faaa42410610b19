/**
 * Whole answers to KPI queries, kept per process and keyed by the
 * workspace's data version: a dashboard that fifty people refresh with no
 * new data is computed once, and each later refresh costs one statement (the
 * version). Below it, the KPI result cache shares cells between different
 * queries and processes; this one skips even assembling the answer.
 *
 * An answer is kept only when it depends on nothing but the key it is stored
 * under: the operation reads only `cacheableRootFields` (the KPI catalogue,
 * whose values come from the data, the workspace's KPIs and the key's role
 * and team), it never read the request's clock (no "this month", no "last 30
 * days"), it has no errors, and no KPI value in it came from a plugin's
 * failure or time-out. Its key names the version, so a commit that returned
 * is never answered from before it; nothing is ever invalidated.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from '@envelop/core';
import { getDocumentString } from '@envelop/core';
import type { DocumentNode, ExecutionResult } from 'graphql';
import { getOperationAST, print } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from '../../graphql/context.js';
import { registryFingerprint } from '../../kpi/cache/cached-batch.js';
import { recordResponseCache } from '../../telemetry/metrics.js';
import { kpiRootFields, readsOnly } from './root-fields.js';


export interface ResponseCacheOptions {
  /** Most bytes of answers (as JSON) kept in memory; least recently used go first. */
  maxBytes: number;
  /** Operations whose root fields are all in this set may be kept. */
  cacheableRootFields?: ReadonlySet<string>;
}

export interface ResponseCacheCounters {
  hits: number;
  misses: number;
  /** Answers computed but not kept: clock read, errors, or a plugin's failure. */
  notKept: number;
}

export interface ResponseCache {
  plugin: Plugin<GraphQLContext>;
  counters: ResponseCacheCounters;
  /** Answers kept in memory now. */
  readonly size: number;
  clear(): void;
}

const documentHashes = new WeakMap<DocumentNode, string>();

function documentHash(document: DocumentNode): string {
  let hash = documentHashes.get(document);
  if (!hash) {
    hash = createHash('sha256')
      .update(getDocumentString(document) ?? print(document))
      .digest('base64url');
    documentHashes.set(document, hash);
  }
  return hash;
}

export function useResponseCache(options: ResponseCacheOptions): ResponseCache {
  const rootFields = options.cacheableRootFields ?? kpiRootFields;
  const answers = new LRUCache<string, ExecutionResult>({ maxSize: options.maxBytes, sizeCalculation: (result) => Math.max(1, JSON.stringify(result).length) });
  const counters: ResponseCacheCounters = { hits: 0, misses: 0, notKept: 0 };
  const plugin: Plugin<GraphQLContext> = {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query' || !readsOnly(operation, rootFields)) return undefined;
      const ctx = args.contextValue;
      // A query writes nothing: its KPI batches share this one read of the version.
      const version = await ctx.dataVersion.pin();
      const { auth, workspace } = ctx;
      const key = [
        workspace.id,
        version,
        auth.role,
        auth.teamId ?? '-',
        workspace.timeZone,
        workspace.currency,
        registryFingerprint(ctx.registry),
        args.operationName ?? '',
        documentHash(args.document),
        JSON.stringify(args.variableValues ?? {}),
      ].join('|');
      const kept = answers.get(key);
      if (kept) {
        counters.hits++;
        recordResponseCache('hit');
        setResultAndStopExecution({ data: kept.data });
        return undefined;
      }
      counters.misses++;
      recordResponseCache('miss');
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          if (result.errors?.length || ctx.clock.wasRead || ctx.kpi.gaveTransientValues) {
            counters.notKept++;
            return;
          }
          answers.set(key, { data: result.data });
        },
      };
    },
  };
  return {
    plugin,
    counters,
    get size() {
      return answers.size;
    },
    clear: () => answers.clear(),
  };
}
