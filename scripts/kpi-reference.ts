// Writes docs/kpis.md, the reference of every built-in KPI, from the plugin
// registry. With --check, exits 1 when the file differs from the registry.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtInPlugins } from '../plugins/index.js';
import { renderKpiReference } from './kpi-reference-render.js';

const file = fileURLToPath(new URL('../docs/kpis.md', import.meta.url));
const check = process.argv.includes('--check');
const current = await readFile(file, 'utf8').catch(() => '');
const rendered = renderKpiReference(builtInPlugins.map((plugin) => plugin.definition));
if (check) {
  if (current !== rendered) {
    console.error('docs/kpis.md is out of date: run npm run docs:kpis and commit it.');
    process.exit(1);
  }
  console.log('docs/kpis.md matches the registry.');
} else {
  await writeFile(file, rendered);
  console.log(current === rendered ? 'docs/kpis.md unchanged.' : 'Wrote docs/kpis.md.');
}
