// Renders the KPI reference (docs/kpis.md) from KPI definitions: a summary
// table, then one section per KPI with its dimensions, targets and params.
import { z } from 'zod';
import type { KpiDefinition, TargetSpec } from '../src/kpi/sdk.js';

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
}

const unitText: Record<KpiDefinition['unit'], string> = {
  count: 'count',
  money: 'money (workspace currency, exact decimal)',
  percent: 'percent (a fraction: 0.2 is 20 %)',
  ratio: 'ratio',
  days: 'days',
  hours: 'hours',
  score: 'score',
};

const directionText: Record<KpiDefinition['direction'], string> = {
  higher: 'higher is better',
  lower: 'lower is better',
  none: 'descriptive (no better direction)',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function targetText(target: TargetSpec | undefined): string {
  if (!target || (target.default === undefined && !target.byStage)) return 'none';
  const parts: string[] = [];
  if (target.default !== undefined) parts.push(`${target.default}`);
  for (const [stage, value] of Object.entries(target.byStage ?? {})) parts.push(`${stage}: ${value}`);
  return `${parts.join('; ')}${target.per ? ` per ${target.per}` : ''}`;
}

function paramRows(definition: KpiDefinition): string[] {
  if (!definition.params) return [];
  const schema = z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const type = property.enum
      ? property.enum.map((value) => `\`${String(value)}\``).join(', ')
      : Array.isArray(property.type)
        ? property.type.join(' | ')
        : (property.type ?? 'any');
    const range = [
      property.minimum !== undefined ? `≥ ${property.minimum}` : '',
      property.exclusiveMinimum !== undefined ? `> ${property.exclusiveMinimum}` : '',
      property.maximum !== undefined ? `≤ ${property.maximum}` : '',
    ].filter(Boolean);
    const extra = [
      required.has(name) && property.default === undefined ? 'required' : 'optional',
      property.default !== undefined ? `default ${JSON.stringify(property.default)}` : '',
      ...range,
    ].filter(Boolean);
    return `| \`${name}\` | ${cell(type)} | ${cell(property.description ?? '')} | ${extra.join(', ')} |`;
  });
}

/** The whole of docs/kpis.md for these definitions, in their order. */
export function renderKpiReference(definitions: readonly KpiDefinition[]): string {
  const lines: string[] = [
    '# KPI reference',
    '',
    'Every built-in KPI, written from the plugin registry by `npm run docs:kpis`',
    '(a test fails when this file is out of date). Formulas are in',
    '[`plugins/`](../plugins), one file per key; how to write your own is in',
    '[`plugins/README.md`](../plugins/README.md). Values are in the unit given:',
    'percent values are fractions, money is an exact decimal in the',
    "workspace's currency. A target `per` a grain scales with the period.",
    '',
    '| key | name | unit | direction | default target |',
    '| --- | --- | --- | --- | --- |',
    ...definitions.map(
      (d) => `| [\`${d.key}\`](#${d.key}) | ${cell(d.name)} | ${d.unit} | ${d.direction} | ${cell(targetText(d.target))} |`,
    ),
    '',
  ];
  for (const d of definitions) {
    lines.push(`## ${d.key}`, '', `**${d.name}.** ${d.description}`, '');
    lines.push(`- Unit: ${unitText[d.unit]}; ${directionText[d.direction]}.`);
    lines.push(`- Dimensions: ${d.dimensions.length > 0 ? d.dimensions.map((x) => `\`${x}\``).join(', ') : 'none'}.`);
    lines.push(`- Default target: ${targetText(d.target)}.`);
    lines.push(`- Recommended for: ${d.stages.join(', ')}.`);
    lines.push(`- Computed by: ${d.kind === 'inputs' ? `measures ${Object.keys(d.inputs).map((x) => `\`${x}\``).join(', ')} and a formula` : 'a batched compute function'}.`);
    const params = paramRows(d);
    if (params.length > 0) {
      lines.push('', '| param | type | meaning | |', '| --- | --- | --- | --- |', ...params);
    }
    lines.push('');
  }
  return lines.join('\n');
}
