// Writes the KPI registry's types for frontends (scripts/kpi-types-render.ts):
// schema/kpi-registry.ts by default, kpi-registry.ts beside the typed client
// when CODEGEN_OUT names its folder, or the file given with --out. The KPIs
// are the built-ins plus KPI_PLUGINS, as the server would load them. With
// --check, exits 1 when the file differs from the registry.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createKpiRegistry } from '../src/kpi/kpi-plugins.js';
import { renderKpiTypes } from './kpi-types-render.js';

const clientFolder = process.env['CODEGEN_OUT'];
const defaultOut = clientFolder ? path.join(clientFolder, 'kpi-registry.ts') : 'schema/kpi-registry.ts';
const { values } = parseArgs({ options: { out: { type: 'string', default: defaultOut }, check: { type: 'boolean', default: false } } });
const file = path.resolve(values.out);
const registry = await createKpiRegistry(loadConfig(process.env).KPI_PLUGINS);
const rendered = renderKpiTypes(registry.list());
const current = await readFile(file, 'utf8').catch(() => '');
if (values.check) {
  if (current !== rendered) {
    console.error(`${values.out} is out of date: run npm run codegen:kpis and commit it.`);
    process.exit(1);
  }
  console.log(`${values.out} matches the registry.`);
} else {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, rendered);
  console.log(current === rendered ? `${values.out} unchanged.` : `Wrote ${values.out} (${registry.list().length} KPIs).`);
}
