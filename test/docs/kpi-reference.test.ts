import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import { renderKpiReference } from '../../scripts/kpi-reference-render.js';

describe('docs/kpis.md', () => {
  it('is what the registry renders today (run npm run docs:kpis after changing a plugin)', async () => {
    const file = await readFile(new URL('../../docs/kpis.md', import.meta.url), 'utf8');
    expect(file).toBe(renderKpiReference(builtInPlugins.map((plugin) => plugin.definition)));
  });

  it('lists every built-in KPI once, with its unit, direction and params', async () => {
    const text = renderKpiReference(builtInPlugins.map((plugin) => plugin.definition));
    for (const { definition } of builtInPlugins) {
      expect(text.split('\n').filter((line) => line === `## ${definition.key}`)).toHaveLength(1);
    }
    expect(text).toContain('| [`win_rate`](#win_rate) | Win rate | percent | higher |');
    expect(text).toMatch(/## stage_conversion[\s\S]*\| `stage` \| `LEAD`, `QUALIFIED`, `NEEDS_ANALYSIS`, `PROPOSAL`, `NEGOTIATION` \| S: the stage whose entrants are followed \| required \|/);
  });
});
