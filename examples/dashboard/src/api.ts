import type { TypedDocumentString } from './gql/graphql.js';

/**
 * The dashboard's GraphQL client. It calls `/graphql` on the page's own
 * origin: the dashboard server forwards the request to kpigraph and adds the
 * API key there, so the key never reaches the browser.
 */

export class ApiError extends Error {}

interface GraphqlResponse<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const endpoint = '/graphql';

export async function request<Data, Variables>(document: TypedDocumentString<Data, Variables>, variables: Variables): Promise<Data> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as GraphqlResponse<Data>;
  if (body.errors?.length) throw new ApiError(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
  if (!response.ok || !body.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

/**
 * A subscription over Server-Sent Events as graphql-yoga serves them: one
 * POST with Accept: text/event-stream, an `event: next` message per result,
 * `event: complete` at the end. Returns when the stream ends.
 */
export async function subscribe<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  handlers: { onOpen?: () => void; onData: (data: Data) => void },
  signal?: AbortSignal,
): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: document.toString(), variables }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body) throw new ApiError(`HTTP ${response.status}: ${await response.text()}`);
  handlers.onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
      if (event === 'complete') return;
      const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (!data) continue;
      const result = JSON.parse(data) as GraphqlResponse<Data>;
      if (result.errors?.length) throw new ApiError(result.errors.map((error) => error.message).join('\n'));
      if (result.data) handlers.onData(result.data);
    }
  }
}
