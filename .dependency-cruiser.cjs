/**
 * The layering of kpigraph (docs/architecture.md draws it): arrows point
 * down, never back up, and no module imports itself through others.
 * test/architecture/layers.test.ts runs these rules; `npm run depcheck`
 * prints the same report.
 */

/** Parts below the API: they answer the API, they never call it. */
const DOMAIN = '^src/(kpi|goals|db|auth|time|records|ingest|telemetry|webhooks)/';
/** Parts that face the outside world. */
const API = '^src/(graphql|server|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Two modules that import each other (directly or through others) cannot be understood, tested or moved apart.',
      from: { path: '^(src|bench)/' },
      to: { circular: true },
    },
    {
      name: 'domain-not-up-to-api',
      severity: 'error',
      comment: 'The engine, goals, database, auth and import never import the GraphQL layer, the server or the CLI: the arrow runs from the API down.',
      from: { path: DOMAIN },
      to: { path: API },
    },
    {
      name: 'graphql-not-up-to-server-or-cli',
      severity: 'error',
      comment: 'The schema is built without knowing who serves it.',
      from: { path: '^src/graphql/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'server-not-up-to-cli',
      severity: 'error',
      comment: 'The server is started by the CLI, not the other way round.',
      from: { path: '^src/server/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'kpi-below-goals-and-import',
      severity: 'error',
      comment: 'The engine answers goals, the import and webhooks; it never calls them.',
      from: { path: '^src/kpi/' },
      to: { path: '^src/(goals|ingest|webhooks|records)/' },
    },
    {
      name: 'db-below-the-domain',
      severity: 'error',
      comment: 'The database layer (clients, migrations, demo data) serves every part above it and imports none of them.',
      from: { path: '^src/db/' },
      to: { path: '^src/(kpi|goals|ingest|auth|records|webhooks|telemetry)/' },
    },
    {
      name: 'testing-only-from-tests',
      severity: 'error',
      comment: 'Fixture builders and the partner test kit write test data: no server, engine or CLI module uses them.',
      from: { path: '^src/', pathNot: '^src/testing/' },
      to: { path: '^src/testing/' },
    },
    {
      name: 'time-is-a-base',
      severity: 'error',
      comment: 'Time-zone and calendar arithmetic is a base every layer may use, so it imports no other part of kpigraph.',
      from: { path: '^src/time/' },
      to: { path: '^src/', pathNot: '^src/time/' },
    },
    {
      name: 'plugins-use-only-the-sdk',
      severity: 'error',
      comment: 'A KPI plugin imports nothing but the SDK (src/kpi/sdk.ts) and its sibling plugins: no builder, no Prisma client, no GraphQL.',
      from: { path: '^plugins/' },
      to: { path: '^src/', pathNot: '^src/kpi/sdk\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|src/generated)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
