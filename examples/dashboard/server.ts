import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * `npm run dashboard`: bundles the dashboard with esbuild (in memory) and
 * serves it with the page's only API route, `/graphql`, forwarded to
 * kpigraph with the API key added here. The key stays in this process'
 * environment: it is in no file and never sent to the browser, and the page
 * calls its own origin, so kpigraph needs no CORS setting. Nothing is loaded
 * from the network (the page's Content-Security-Policy allows only 'self').
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultApiUrl = 'http://localhost:4000/graphql';

export interface DashboardOptions {
  /** kpigraph's GraphQL endpoint. */
  apiUrl: string;
  /** The key sent as `Authorization: Bearer …` (a viewer key is enough). */
  apiKey: string;
  port?: number;
  /** Loopback by default: whoever reaches this server uses the key. */
  host?: string;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: string | Uint8Array;
}

async function bundle(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: [path.join(here, 'src', 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    outfile: 'app.js',
    logLevel: 'silent',
  });
  const [script] = result.outputFiles;
  return new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: await readFile(path.join(here, 'public', 'index.html'), 'utf8') }],
    ['/style.css', { type: 'text/css; charset=utf-8', body: await readFile(path.join(here, 'public', 'style.css'), 'utf8') }],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: script!.contents }],
  ]);
}

const securityHeaders = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Forwards a GraphQL request, streaming the answer (Server-Sent Events included) and dropping the upstream call when the browser goes. */
async function proxy(request: IncomingMessage, response: ServerResponse, options: DashboardOptions): Promise<void> {
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  const upstream = await fetch(options.apiUrl, {
    method: 'POST',
    headers: {
      'content-type': request.headers['content-type'] ?? 'application/json',
      accept: request.headers['accept'] ?? 'application/json',
      authorization: `Bearer ${options.apiKey}`,
    },
    body: await readBody(request),
    signal: abort.signal,
  });
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  for (const name of ['content-type', 'retry-after']) {
    const value = upstream.headers.get(name);
    if (value) headers[name] = value;
  }
  response.writeHead(upstream.status, headers);
  if (!upstream.body) return void response.end();
  response.flushHeaders();
  const reader = upstream.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      response.write(value);
    }
    response.end();
  } catch {
    // The browser went away, or kpigraph did: either way this answer is over.
    response.destroy();
  }
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const assets = await bundle();
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://dashboard').pathname;
    if (pathname === '/graphql' && request.method === 'POST') {
      proxy(request, response, options).catch((error: unknown) => {
        if (response.headersSent) return void response.destroy();
        response.writeHead(502, { 'content-type': 'application/json' });
        const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        response.end(JSON.stringify({ errors: [{ message: `cannot reach kpigraph at ${options.apiUrl}: ${reason}`, extensions: { code: 'BAD_GATEWAY' } }] }));
      });
      return;
    }
    const asset = request.method === 'GET' || request.method === 'HEAD' ? assets.get(pathname) : undefined;
    if (!asset) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', ...securityHeaders }).end(request.method === 'HEAD' ? undefined : asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const apiKey = process.env['KPIGRAPH_API_KEY'];
  if (!apiKey) {
    console.error('kpigraph dashboard: set KPIGRAPH_API_KEY (npm start prints a demo key; or: npx kpigraph keys create --workspace 1 --role viewer --name dashboard).');
    process.exit(2);
  }
  const dashboard = await startDashboard({
    apiUrl: process.env['KPIGRAPH_URL'] || defaultApiUrl,
    apiKey,
    port: Number(process.env['DASHBOARD_PORT'] ?? 4100),
    host: process.env['DASHBOARD_HOST'] ?? '127.0.0.1',
  });
  console.log(`kpigraph dashboard at ${dashboard.url} (API: ${process.env['KPIGRAPH_URL'] || defaultApiUrl})`);
  const stop = () => void dashboard.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
