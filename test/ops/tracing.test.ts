import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createServer } from '../../src/server/create-server.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { startTracing, stopTracing, traced, tracingRequested } from '../../src/telemetry/tracing.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { dashboardQuery, opsFixture } from './fixture.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const attribute = (span: OtlpSpan, key: string): OtlpValue | undefined => span.attributes.find((a) => a.key === key)?.value;

/** A real OTLP/HTTP receiver: keeps every JSON export posted to /v1/traces. */
function startCollector(): Promise<{ server: Server; url: string; exports: OtlpExport[]; bodies: string[] }> {
  const exports: OtlpExport[] = [];
  const bodies: string[] = [];
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        bodies.push(body);
        exports.push(JSON.parse(body) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(415).end();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, exports, bodies });
    });
  });
}

describe('tracing switch', () => {
  it('is off unless an OTLP endpoint or exporter is named, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('one dashboard request, traced to an OTLP/HTTP collector', () => {
  let db: Database;
  let server: KpigraphServer;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let key: string;
  beforeAll(async () => {
    collector = await startCollector();
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = collector.url;
    process.env['OTEL_SERVICE_NAME'] = 'kpigraph-under-test';
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, opsFixture());
    key = await mintTestKey(db, workspaceId);
    const tracing = await startTracing();
    expect(tracing).toBeDefined();
    server = createServer({ db, config: testConfig(), tracing });
  });
  afterAll(async () => {
    await server.close();
    await stopTracing();
    collector.server.close();
    delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    delete process.env['OTEL_SERVICE_NAME'];
  });

  it('gives a trace, continuing the caller’s traceparent, whose spans include the request, parse, validate, execute, the KPI batch and its SQL statements', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await server.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({ query: dashboardQuery }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const traceparent = response.headers.get('traceparent');
    expect(traceparent).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
    await traced('import.check', { rows: 3 }, async () => db.query('SELECT 1'));
    await stopTracing();

    const resource = collector.exports[0]!.resourceSpans[0]!.resource;
    expect(resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue).toBe('kpigraph-under-test');
    const spans = collector.exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const inTrace = spans.filter((span) => span.traceId === callerTrace);
    const byName = (name: string) => inTrace.filter((span) => span.name === name);

    const [request] = byName('POST /graphql');
    expect(request!.parentSpanId).toBe(callerSpan);
    expect(traceparent!.split('-')[2]).toBe(request!.spanId);
    expect(attribute(request!, 'http.response.status_code')?.intValue).toBe(200);
    for (const phase of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      expect(byName(phase).map((span) => span.parentSpanId)).toEqual([request!.spanId]);
    }
    expect(attribute(byName('graphql.execute')[0]!, 'graphql.operation.name')?.stringValue).toBe('Dashboard');

    const [batch] = byName('kpi.batch');
    expect(Number(attribute(batch!, 'kpigraph.kpi.cells')?.intValue)).toBe(36);
    expect(attribute(batch!, 'kpigraph.kpi.keys')?.arrayValue?.values.map((v) => v.stringValue).sort()).toEqual(['new_customers', 'win_rate', 'won_revenue']);
    // One statement per source, each a child of the batch that sent it.
    const statements = inTrace.filter((span) => span.parentSpanId === batch!.spanId);
    expect(statements.map((span) => span.name).sort()).toEqual(['sql customers', 'sql deals']);
    expect(statements.map((span) => attribute(span, 'kpigraph.sql.source')?.stringValue).sort()).toEqual(['customers', 'deals']);
    expect(statements.every((span) => attribute(span, 'db.operation.name')?.stringValue === 'SELECT')).toBe(true);
    // The API's own reads (the key, team names) are statements of source "records".
    expect(byName('sql records').length).toBeGreaterThan(0);

    // An import's phase is a span; its statement, a child of it.
    const [phase] = spans.filter((span) => span.name === 'import.check');
    expect(spans.filter((span) => span.parentSpanId === phase!.spanId).map((span) => span.name)).toEqual(['sql other']);
    // No SQL text or parameter values travel: the amounts and the API key are nowhere.
    const sent = collector.bodies.join('\n');
    expect(sent).not.toMatch(/workspaceId|1000\.5|2001|kpg_/);
  });
});
