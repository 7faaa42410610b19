/**
 * Writes import files for measuring `kpigraph import`: users, customers (a
 * third as many as deals) and deals, as CSV and NDJSON, deterministic.
 * Deals carry no stage events, so the import derives them (1.5 a deal).
 *
 *   npx tsx scripts/import-files.ts DIR DEALS
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

const [dir, dealArg] = process.argv.slice(2);
const dealCount = Number(dealArg);
if (!dir || !Number.isSafeInteger(dealCount) || dealCount < 1) {
  console.error('usage: tsx scripts/import-files.ts DIR DEALS');
  process.exit(2);
}

// A small linear congruential generator: the same files on every run.
let state = 42;
const random = (): number => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state / 2_147_483_648;
};
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const pad = (n: number): string => String(n).padStart(2, '0');
/** A wall time (no offset) in 2023–2024: read in the workspace's zone. */
const wallTime = (dayOffset: number): string => {
  const date = new Date(Date.UTC(2023, 0, 1) + dayOffset * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(9 + Math.floor(random() * 9))}:${pad(Math.floor(random() * 60))}`;
};

type Row = Record<string, string>;

class Writer {
  private readonly csv;
  private readonly ndjson;
  constructor(
    private readonly type: string,
    plural: string,
    private readonly columns: readonly string[],
  ) {
    this.csv = createWriteStream(path.join(dir!, `${plural}.csv`));
    this.ndjson = createWriteStream(path.join(dir!, `${plural}.ndjson`));
    this.csv.write(`${columns.join(',')}\n`);
  }
  async write(row: Row): Promise<void> {
    const okCsv = this.csv.write(`${this.columns.map((c) => row[c] ?? '').join(',')}\n`);
    const json: Row = { type: this.type };
    for (const c of this.columns) if (row[c] !== undefined && row[c] !== '') json[c] = row[c];
    const okJson = this.ndjson.write(`${JSON.stringify(json)}\n`);
    if (!okCsv) await once(this.csv, 'drain');
    if (!okJson) await once(this.ndjson, 'drain');
  }
  async end(): Promise<void> {
    await Promise.all([new Promise((r) => this.csv.end(r)), new Promise((r) => this.ndjson.end(r))]);
  }
}

await mkdir(dir, { recursive: true });
const userCount = 200;
const customerCount = Math.max(1, Math.round(dealCount / 3));

const users = new Writer('user', 'users', ['externalId', 'name', 'email', 'role']);
for (let i = 1; i <= userCount; i++) await users.write({ externalId: `u${i}`, name: `Rep ${i}`, email: `rep${i}@example.com`, role: i % 10 === 0 ? 'MANAGER' : 'REP' });
await users.end();

const customers = new Writer('customer', 'customers', ['externalId', 'name', 'industry', 'region', 'channel', 'owner', 'createdAt']);
for (let i = 1; i <= customerCount; i++) {
  await customers.write({
    externalId: `c${i}`,
    name: `Customer ${i}`,
    industry: pick(['software', 'retail', 'finance', 'health']),
    region: pick(['DE', 'FR', 'US', 'GB']),
    channel: pick(['search', 'referral', 'events', 'outbound']),
    owner: `u${1 + (i % userCount)}`,
    createdAt: wallTime(Math.floor(random() * 180)),
  });
}
await customers.end();

const deals = new Writer('deal', 'deals', ['externalId', 'customer', 'owner', 'title', 'amount', 'stage', 'dealType', 'productLine', 'createdAt', 'closedAt', 'lostReason']);
for (let i = 1; i <= dealCount; i++) {
  const created = 200 + Math.floor(random() * 300);
  const stage = pick(['LEAD', 'QUALIFIED', 'PROPOSAL', 'WON', 'WON', 'LOST', 'LOST']);
  const closed = stage === 'WON' || stage === 'LOST';
  await deals.write({
    externalId: `d${i}`,
    customer: `c${1 + (i % customerCount)}`,
    owner: `u${1 + (i % userCount)}`,
    title: `Deal ${i}`,
    amount: `${Math.floor(random() * 100_000)}.${pad(Math.floor(random() * 100))}`,
    stage,
    dealType: pick(['NEW', 'RENEWAL', 'UPSELL']),
    productLine: pick(['core', 'analytics', 'support']),
    createdAt: wallTime(created),
    closedAt: closed ? wallTime(created + 1 + Math.floor(random() * 60)) : '',
    lostReason: stage === 'LOST' ? pick(['price', 'timing', 'competitor']) : '',
  });
}
await deals.end();
console.log(`${dir}: ${userCount} users, ${customerCount} customers, ${dealCount} deals (CSV and NDJSON)`);
