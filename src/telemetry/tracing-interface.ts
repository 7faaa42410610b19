/**
 * What tracing offers the server, the engine and the import, whichever
 * implementation is loaded (tracing.ts chooses; otel-tracing.ts is the one
 * there is), so neither of those imports the other for the type.
 */
import type { Plugin } from 'graphql-yoga';
import type { SqlListener } from '../db/client.js';
import type { KpiBatchObserver } from '../kpi/engine.js';

export interface Tracing {
  /** Spans for the request (context from and to `traceparent`), parse, validate and execute. */
  yogaPlugin(graphqlEndpoint: string): Plugin;
  /** A span per SQL statement inside a trace, with its source, never its parameters. */
  readonly statementListener: SqlListener;
  /** A span per KPI batch with its cells; its statements are its children. */
  readonly kpiObserver: KpiBatchObserver;
  /** Runs `work` in a span of its own, a child of the current one. */
  span<T>(name: string, attributes: Record<string, string | number | boolean>, work: () => Promise<T>): Promise<T>;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}
