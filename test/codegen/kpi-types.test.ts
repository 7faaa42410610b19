import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import { renderKpiTypes, typeOf } from '../../scripts/kpi-types-render.js';
import { createRegistry } from '../../src/kpi/registry.js';

const rendered = () => renderKpiTypes(createRegistry(builtInPlugins).list());
const typeOfZod = (schema: z.ZodType) => typeOf(z.toJSONSchema(schema, { io: 'input' }) as Parameters<typeof typeOf>[0]);

describe('schema/kpi-registry.ts (the KPI registry’s types for frontends)', () => {
  it('is what the registry renders today (run npm run codegen:kpis after changing a plugin)', async () => {
    expect(await readFile(new URL('../../schema/kpi-registry.ts', import.meta.url), 'utf8')).toBe(rendered());
  });

  it('names every built-in KPI once, with its unit and direction as the API spells them', () => {
    const text = rendered();
    for (const { definition } of builtInPlugins) {
      expect(text.split('\n').filter((line) => line === `  '${definition.key}',`), definition.key).toHaveLength(1);
    }
    expect(text).toContain("  win_rate: 'PERCENT',");
    expect(text).toContain("  sales_cycle_days: 'LOWER',");
    expect(text).toContain("  won_revenue: Record<string, never>;");
    // A required enum param, and an optional one with its default and range in the comment.
    expect(text).toMatch(/ {2}stage_conversion: \{\n {4}\/\*\* S: the stage whose entrants are followed\. \*\/\n {4}stage: 'LEAD' \| 'QUALIFIED' \| 'NEEDS_ANALYSIS' \| 'PROPOSAL' \| 'NEGOTIATION';\n {2}\};/);
    expect(text).toContain('    /** N: how many calendar months after conversion revenue counts as new. A whole number. Range: ≥ 0, ≤ 120. Default: 6. */\n    months?: number;');
  });

  it('writes params as a client sends them: defaults optional, nulls, lists and nested objects kept', () => {
    expect(typeOfZod(z.object({ n: z.number().default(3), tag: z.string() }))).toBe('{\n  /** Default: 3. */\n  n?: number;\n  tag: string;\n}');
    expect(typeOfZod(z.object({ teams: z.array(z.enum(['A', 'B'])).optional(), note: z.string().nullable() }))).toBe(
      "{\n  teams?: Array<'A' | 'B'>;\n  note: string | null;\n}",
    );
    expect(typeOfZod(z.object({ window: z.object({ days: z.int(), 'from-start': z.boolean() }) }))).toBe(
      "{\n  window: {\n    /** A whole number. */\n    days: number;\n    'from-start': boolean;\n  };\n}",
    );
    expect(typeOfZod(z.record(z.string(), z.number()))).toBe('Record<string, number>');
  });
});
