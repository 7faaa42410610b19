// The fallback start of a parse worker, when its bundle cannot be built
// (worker-bundle.ts): a worker thread does not inherit the importing
// thread's TypeScript loader (bin/kpigraph.js registers tsx there), so it
// registers tsx here, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
