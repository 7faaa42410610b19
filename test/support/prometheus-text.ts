/**
 * A strict reader of Prometheus' text exposition format (0.0.4), for tests:
 * it throws on any line the format does not allow, on samples of a family
 * with no TYPE, on a series given twice, and on histograms whose buckets
 * are out of order, decrease, or disagree with their _count.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | undefined;
  samples: Sample[];
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`);
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;

/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case. */
function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: ${text} in "${line}"`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = labelPair.exec(rest);
    if (!match) throw new Error(`bad labels in "${line}"`);
    const [whole, name, raw] = match;
    if (name! in labels) throw new Error(`label ${name} twice in "${line}"`);
    labels[name!] = raw!.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([parseValue(le, sample.name), sample.value]);
    } else if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]![0] > buckets[i - 1]![0])) throw new Error(`${family.name} ${key}: le not increasing`);
      if (buckets[i]![1] < buckets[i - 1]![1]) throw new Error(`${family.name} ${key}: bucket counts decrease`);
    }
    const last = buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${family.name} ${key}: no +Inf bucket`);
    if (count !== last[1]) throw new Error(`${family.name} ${key}: _count ${count} differs from +Inf bucket ${last[1]}`);
  }
}

/** Parses an exposition strictly; throws with the offending line. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    let match: RegExpExecArray | null;
    if ((match = helpLine.exec(line))) {
      const family = families.get(match[1]!);
      if (family?.help !== undefined) throw new Error(`HELP twice for ${match[1]}`);
      if (family) family.help = match[2];
      else families.set(match[1]!, { name: match[1]!, type: 'untyped', help: match[2], samples: [] });
    } else if ((match = typeLine.exec(line))) {
      const family = families.get(match[1]!) ?? { name: match[1]!, type: 'untyped', help: undefined, samples: [] };
      if (family.samples.length > 0) throw new Error(`TYPE after samples for ${match[1]}`);
      family.type = match[2] as Family['type'];
      families.set(match[1]!, family);
    } else if (line.startsWith('#')) {
      continue;
    } else if ((match = sampleLine.exec(line))) {
      const family = familyOf(match[1]!, families);
      if (!family) throw new Error(`sample of an undeclared family: "${line}"`);
      const labels = parseLabels(match[2] ?? '', line);
      const id = `${match[1]}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(id)) throw new Error(`series given twice: "${line}"`);
      seen.add(id);
      family.samples.push({ name: match[1]!, labels, value: parseValue(match[3]!, line) });
    } else {
      throw new Error(`not a line of the text format: "${line}"`);
    }
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The value of one series, or 0 when absent (a counter not yet incremented). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) return sample.value;
    }
  }
  return 0;
}
