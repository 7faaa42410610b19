import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';

/** hash → document text, as `npm run codegen` writes it (persisted-documents.json). */
export type TrustedManifest = Readonly<Record<string, string>>;

// The printing codegen hashes: selections sorted, so field order does not matter.
const normalise = (document: string): string => printExecutableGraphQLDocument(parse(document));
const bareHash = (hash: string): string => hash.replace(/^sha256:/, '');

export function readTrustedManifest(file: string): TrustedManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `PERSISTED_OPERATIONS=only needs the trusted documents manifest ${file} (run \`npm run codegen\`, or set PERSISTED_OPERATIONS_MANIFEST): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return JSON.parse(text) as TrustedManifest;
}

function sentHash(params: { extensions?: Record<string, unknown>; documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return bareHash(params.documentId);
  const persisted = params.extensions?.['persistedQuery'];
  if (persisted && typeof persisted === 'object' && 'sha256Hash' in persisted && typeof persisted.sha256Hash === 'string') {
    return bareHash(persisted.sha256Hash);
  }
  return null;
}

const refusal = (message: string) => createGraphQLError(message, { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } });

/**
 * Trusted documents: only the operations of the manifest run. A client sends
 * an operation's hash (`documentId`, or extensions.persistedQuery.sha256Hash);
 * a client that sends the text of a trusted operation (kpigraph's CLI reads
 * schema/operations/) is treated as if it had sent its hash. Anything else is
 * refused before it is parsed against the schema.
 */
export function useTrustedDocuments(manifest: TrustedManifest): Plugin[] {
  const byHash = new Map(Object.entries(manifest).map(([hash, document]) => [bareHash(hash), document]));
  const hashByText = new Map([...byHash].map(([hash, document]) => [normalise(document), hash]));
  const known: Plugin = {
    onParams({ params, setParams }) {
      if (!params.query) return;
      let hash: string | undefined;
      try {
        hash = hashByText.get(normalise(params.query));
      } catch {
        hash = undefined;
      }
      if (hash === undefined) return;
      const { query: _text, ...rest } = params;
      setParams({ ...rest, extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash: hash } } });
    },
  };
  return [
    known,
    usePersistedOperations({
      getPersistedOperation: (hash) => byHash.get(hash) ?? null,
      extractPersistedOperationId: (params) => sentHash(params as Parameters<typeof sentHash>[0]),
      customErrors: {
        persistedQueryOnly: () =>
          refusal('This server runs trusted documents only (PERSISTED_OPERATIONS=only): send the hash of an operation in its manifest, not a document of your own. Add the operation to your .graphql files and run `npm run codegen`.'),
        notFound: () => refusal('No trusted document has this hash: run `npm run codegen` and deploy the manifest it writes with the server.'),
        keyNotFound: () => refusal('Send an operation’s hash (documentId, or extensions.persistedQuery.sha256Hash) from the trusted documents manifest.'),
      },
    }),
  ];
}
