/**
 * OpenTelemetry tracing, off unless the standard OTEL_* variables ask for
 * it. Off, this module is all that loads: no OpenTelemetry package is
 * imported and nothing is wrapped, so tracing costs nothing. On, the
 * implementation (otel-tracing.ts) is imported once at start.
 */
import type { Tracing } from './tracing-interface.js';

export type { Tracing } from './tracing-interface.js';

/**
 * Whether the environment asks for traces: an OTLP endpoint (or
 * OTEL_TRACES_EXPORTER=otlp), unless OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.toLowerCase() === 'true') return false;
  const exporter = env['OTEL_TRACES_EXPORTER']?.toLowerCase();
  if (exporter === 'none') return false;
  return exporter === 'otlp' || Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

let active: Tracing | undefined;

/** Starts tracing when the environment asks for it (once per process); undefined when off. */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (active || !tracingRequested(env)) return active;
  const { createOtelTracing } = await import('./otel-tracing.js');
  active = createOtelTracing();
  return active;
}

/** Stops tracing, sending what is buffered. */
export async function stopTracing(): Promise<void> {
  const tracing = active;
  active = undefined;
  await tracing?.shutdown();
}

/** Runs `work` in a span when tracing is on, else just runs it (phases of an import, say). */
export function traced<T>(name: string, attributes: Record<string, string | number | boolean>, work: () => Promise<T>): Promise<T> {
  return active ? active.span(name, attributes, work) : work();
}
