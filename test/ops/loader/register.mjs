import { register } from 'node:module';

register('./report-otel-imports.mjs', import.meta.url);
