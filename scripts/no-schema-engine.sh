#!/bin/sh
# Stands in for Prisma's schema-engine binary, which cannot be downloaded
# here. `prisma generate` insists the file exists but never runs it.
# Migrations go through @prisma/schema-engine-wasm: npm run db:migrate.
echo "kpigraph: the binary schema engine is not installed; use 'npm run db:migrate' (WASM engine)." >&2
exit 1
