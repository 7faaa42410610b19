/**
 * A GraphQL subscription over Server-Sent Events, as graphql-yoga serves it
 * ("distinct connections": one POST with Accept: text/event-stream, one
 * `event: next` per result, `event: complete` at the end).
 */
export interface SseResult<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface SseRequest {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** How long to wait for the server to answer the request (default 10 s). */
  connectTimeoutMs?: number;
  /** Called once the server has accepted the subscription (before any result). */
  onOpen?: () => void;
}

/** Thrown when the server answers the subscription request with an HTTP error. */
export class SseHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/** Results of a subscription until the server completes it or the connection drops (then the iterator ends or throws). */
export async function* subscribeOverSse<Data>(request: SseRequest): AsyncGenerator<SseResult<Data>> {
  // A connection the server drops before answering can leave fetch pending with
  // nothing else keeping the process alive; a timer of our own bounds the wait.
  const controller = new AbortController();
  const abort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', abort, { once: true });
  const connectTimeoutMs = request.connectTimeoutMs ?? 10_000;
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...request.headers },
      body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) throw new SseHttpError(response.status, await response.text());
  request.onOpen?.();
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = message.split('\n');
        const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
        const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
        if (event === 'complete') return;
        if (data) yield JSON.parse(data) as SseResult<Data>;
      }
    }
  } finally {
    // A consumer that stops early closes the connection, so the server ends the subscription.
    await reader.cancel().catch(() => undefined);
  }
}
