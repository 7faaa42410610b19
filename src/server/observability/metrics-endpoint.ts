/**
 * `GET /metrics` in Prometheus' text format, never open to anyone: on the
 * API's port only with METRICS_TOKEN (as a bearer token), and on a
 * listener of its own with METRICS_PORT (which a deployment keeps off the
 * public network; the token is asked there too when set).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { metricsRegistry } from '../../telemetry/metrics.js';

export const metricsPath = '/metrics';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether `authorization` is `Bearer <token>`, compared in constant time. */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function answer(authorization: string | null | undefined, token: string | undefined): Promise<Answer> {
  if (!metricsAuthorized(authorization, token)) {
    return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }, body: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.\n' };
  }
  return { status: 200, headers: { 'content-type': metricsRegistry.contentType }, body: await metricsRegistry.metrics() };
}

/** Serves /metrics on the API's port, behind the token. */
export function useMetricsEndpoint(token: string): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== metricsPath) return;
      const { status, headers, body } = await answer(request.headers.get('authorization'), token);
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status, headers }));
    },
  };
}

export interface MetricsListener {
  readonly port: number;
  close(): Promise<void>;
}

/** A listener of its own that answers /metrics and nothing else. */
export async function startMetricsListener(port: number, host: string, token: string | undefined): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== metricsPath || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    answer(request.headers.authorization, token).then(
      ({ status, headers, body }) => response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
