/**
 * The OpenTelemetry side of tracing, imported only when tracing is on
 * (tracing.ts). The SDK reads the standard variables itself: the OTLP/HTTP
 * exporter OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS, the resource
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, the sampler
 * OTEL_TRACES_SAMPLER(_ARG). Context comes from and goes to W3C
 * `traceparent`.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Span, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SqlStatementEvent } from '../db/client.js';
import type { KpiCellKey } from '../kpi/cell.js';
import { statementSource } from './sql-source.js';
import type { Tracing } from './tracing-interface.js';

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};
const headerSetter: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };

/** A statement's verb (SELECT, INSERT…), never its text, which may carry a plugin's literals. */
const verbOf = (sql: string): string => /^\s*\(?\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'UNKNOWN';

/** What failed, without the message, which may quote values. */
function failed(span: Span, error: unknown): void {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  span.setAttribute('error.type', code ?? (error instanceof Error ? error.name : 'Error'));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function settle<T>(span: Span, result: T): T {
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failed(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function cellAttributes(cells: readonly KpiCellKey[]): Attributes {
  const perKpi = new Map<string, number>();
  for (const cell of cells) perKpi.set(cell.kpiKey, (perKpi.get(cell.kpiKey) ?? 0) + 1);
  return {
    'kpigraph.kpi.cells': cells.length,
    'kpigraph.kpi.keys': [...perKpi.keys()],
    'kpigraph.kpi.cells_per_kpi': [...perKpi].map(([key, count]) => `${key}=${count}`),
  };
}

export function createOtelTracing(): Tracing {
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': 'kpigraph' }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  const tracer = provider.getTracer('kpigraph');

  const inSpan = <T>(name: string, attributes: Attributes, work: () => T, kind: SpanKind = SpanKind.INTERNAL): T => {
    const span = tracer.startSpan(name, { kind, attributes });
    try {
      return settle(span, context.with(trace.setSpan(context.active(), span), work));
    } catch (error) {
      failed(span, error);
      span.end();
      throw error;
    }
  };

  return {
    yogaPlugin(graphqlEndpoint) {
      const requestSpans = new WeakMap<Request, Span>();
      return {
        instrumentation: {
          request({ request }, wrapped) {
            const path = new URL(request.url).pathname;
            if (path !== graphqlEndpoint) return wrapped();
            const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
            const span = tracer.startSpan(
              `${request.method} ${path}`,
              { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': path } },
              parent,
            );
            requestSpans.set(request, span);
            try {
              return settle(span, context.with(trace.setSpan(parent, span), wrapped));
            } catch (error) {
              failed(span, error);
              span.end();
              throw error;
            }
          },
          parse: (_payload, wrapped) => inSpan('graphql.parse', {}, wrapped),
          validate: (_payload, wrapped) => inSpan('graphql.validate', {}, wrapped),
          execute: (_payload, wrapped) => inSpan('graphql.execute', {}, wrapped),
        },
        onExecute({ args }) {
          // Inside the execute span: it and the request's span get the operation's name and type.
          const operation = getOperationAST(args.document, args.operationName);
          const attributes = { 'graphql.operation.name': operation?.name?.value ?? 'anonymous', 'graphql.operation.type': operation?.operation ?? 'unknown' };
          trace.getActiveSpan()?.setAttributes(attributes);
          const request = (args.contextValue as { request?: Request }).request;
          if (request) requestSpans.get(request)?.setAttributes(attributes);
        },
        onResponse({ request, response }) {
          const span = requestSpans.get(request);
          if (!span) return;
          span.setAttribute('http.response.status_code', response.status);
          if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          propagation.inject(trace.setSpan(ROOT_CONTEXT, span), response.headers, headerSetter);
        },
      } satisfies Plugin;
    },

    statementListener(event: SqlStatementEvent) {
      const parent = context.active();
      // Statements outside a trace (readiness pings, start-up) would each be a trace of their own.
      if (!trace.getSpan(parent)) return undefined;
      const source = statementSource(event);
      const span = tracer.startSpan(
        `sql ${source}`,
        { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': verbOf(event.sql), 'kpigraph.sql.source': source } },
        parent,
      );
      return (error?: unknown) => {
        if (error !== undefined) failed(span, error);
        span.end();
      };
    },

    kpiObserver: {
      batch: (cells, run) => inSpan('kpi.batch', cellAttributes(cells), run),
    },

    span: (name, attributes, work) => inSpan(name, attributes, work),

    async shutdown() {
      await provider.shutdown();
    },
  };
}
