import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The dashboard's typed client: GraphQL Code Generator's client preset over
 * the dashboard's own operations. `documentMode: 'string'` makes each
 * operation a typed string, so the browser bundle needs no GraphQL parser;
 * the manifest of trusted documents comes along for PERSISTED_OPERATIONS=only.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: 'examples/dashboard/operations/*.graphql',
  ignoreNoDocuments: false,
  generates: {
    [process.env['CODEGEN_OUT'] ?? 'examples/dashboard/src/gql/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: { documentMode: 'string', emitLegacyCommonJSImports: false, enumsAsTypes: true, scalars: { DateTime: 'string', Decimal: 'string', JSON: 'unknown' }, useTypeImports: true },
    },
  },
};

export default config;
