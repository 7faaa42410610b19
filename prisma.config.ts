import { defineConfig } from 'prisma/config';

// The URL is only read by Prisma's own CLI commands (e.g. `prisma migrate
// deploy` where the binary engine exists); kpigraph itself connects through
// driver adapters (src/db/client.ts) and migrates with the WASM engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
