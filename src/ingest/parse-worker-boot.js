// A worker thread does not inherit the importing thread's TypeScript loader
// (bin/kpigraph.js registers tsx there): register it here, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
