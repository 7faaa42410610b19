import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed clients with GraphQL Code Generator's client preset: TypedDocumentNodes
 * for every operation under CODEGEN_DOCUMENTS (kpigraph's own by default) and
 * a manifest of trusted documents (sha256 hash → document) for
 * PERSISTED_OPERATIONS=only.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: (process.env['CODEGEN_DOCUMENTS'] ?? 'schema/operations/*.graphql').split(','),
  ignoreNoDocuments: false,
  generates: {
    [process.env['CODEGEN_OUT'] ?? 'src/generated/client/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: { emitLegacyCommonJSImports: false, enumsAsTypes: true, scalars: { DateTime: 'string', Decimal: 'string', JSON: 'unknown' }, useTypeImports: true },
    },
  },
};

export default config;
