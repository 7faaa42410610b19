// Module hooks (node:module register) that print every import of an OpenTelemetry package to stderr.
export async function resolve(specifier, context, next) {
  if (specifier.includes('@opentelemetry/')) process.stderr.write(`imported ${specifier}\n`);
  return next(specifier, context);
}
