/**
 * npm run bench:events -- [--transitions N] [--goals G] [--debounce MS]
 *
 * Goal events, end to end: a server on an embedded database (PostgreSQL
 * with DATABASE_URL) with G goals in one workspace, one of which a mutation
 * flips each time (a lead moved in and out of the goal's region:
 * OFF_TRACK <-> ON_TRACK). Reported:
 *   latency   from the mutation's answer (its commit) to the STATUS_CHANGED
 *             event reaching a subscriber over SSE, for N transitions
 *             (the detection debounce, GOAL_EVENTS_DEBOUNCE_MS, is part of it)
 *   per write the statements and time detection spends after one write,
 *             judging the workspace's G goals (one detector pass, timed alone)
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { streamGoalEvents } from '../src/cli/goal-event-stream.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createFixture } from '../src/testing/fixture.js';
import { createServer } from '../src/server/create-server.js';
import { percentile, summarize } from './stats.js';

const { values } = parseArgs({ options: { transitions: { type: 'string', default: '200' }, goals: { type: 'string', default: '20' }, debounce: { type: 'string', default: '250' } } });
const transitions = Number(values.transitions);
const goalCount = Number(values.goals);
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const minute = 60_000;

async function open(): Promise<Database> {
  const url = process.env['DATABASE_URL'];
  const db = url
    ? await openDatabase({ kind: 'postgres', url, poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 })
    : await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  await applyMigrations(db.adapterFactory);
  return db;
}

const db = await open();
const fixture = await createFixture(db, {
  workspace: { name: `bench events ${Date.now()}`, timeZone: 'UTC' },
  users: [{ name: 'Ada', team: 'North' }, { name: 'Bo', team: 'South' }],
  customers: [{ name: 'Mover', owner: 'Ada', region: 'FR', createdAt: new Date(Date.now() - 10 * 60_000) }],
});
const workspaceId = fixture.workspaceId;
const mover = (await db.prisma.customer.findFirstOrThrow({ where: { workspaceId, name: 'Mover' } })).id;
// Two new leads in DE over two hours, a quarter gone: the mover in DE projects four (ON_TRACK), out of it none (OFF_TRACK).
const start = new Date(Date.now() - 30 * minute);
const period = { periodStart: start, periodEnd: new Date(start.getTime() + 120 * minute) };
const flipped = await db.prisma.goal.create({ data: { workspaceId, kpiKey: 'new_leads', target: '2', baseline: '0', ...period, ownerTeamId: fixture.ids.teams['North']!, scope: { region: ['DE'] }, description: 'Leads in DE' } });
const kpis = ['won_revenue', 'win_rate', 'new_leads', 'new_customers'];
for (let index = 1; index < goalCount; index++) {
  await db.prisma.goal.create({
    data: { workspaceId, kpiKey: kpis[index % kpis.length]!, target: String(1000 + index), ...period, ownerTeamId: fixture.ids.teams[index % 2 ? 'North' : 'South']!, scope: { region: [index % 3 ? 'FR' : 'ES'] }, description: `Other goal ${index}` },
  });
}
const { key } = await createApiKey(db.prisma, { workspaceId, name: 'bench', role: 'ADMIN' });
const config = loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'false', LOG_LEVEL: 'silent', GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: values.debounce, RATE_LIMIT_PER_MINUTE: '0' });
const server = createServer({ db: { ...db, close: () => Promise.resolve() }, config });
const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
await server.events.detector.flush();

const arrived = new Map<number, number>();
const controller = new AbortController();
const listening = (async () => {
  for await (const event of streamGoalEvents({ url, apiKey: key, filter: { kind: ['STATUS_CHANGED'] }, signal: controller.signal })) {
    if (event.goalId === gid('Goal', flipped.id)) arrived.set(arrived.size + 1, performance.now());
  }
})().catch((error: unknown) => {
  if (!controller.signal.aborted) throw error;
});
await new Promise((resolve) => setTimeout(resolve, 500));

let statements = 0;
db.onStatement(() => void (statements += 1));
const latencies: number[] = [];
const statementsPerWrite: number[] = [];
log(`${transitions} transitions of one goal among ${goalCount}, debounce ${values.debounce} ms, ${db.kind}`);
for (let index = 1; index <= transitions; index++) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: `mutation($id: ID!, $region: String!) { updateCustomer(id: $id, input: { region: $region }) { id } }`, variables: { id: gid('Customer', mover), region: index % 2 ? 'DE' : 'FR' } }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const committed = performance.now();
  const before = statements;
  const deadline = committed + 10_000;
  while (!arrived.has(index)) {
    if (performance.now() > deadline) throw new Error(`transition ${index} was not delivered within 10 s`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  latencies.push(arrived.get(index)! - committed);
  statementsPerWrite.push(statements - before);
}

// One detector pass after a write, alone: what judging the workspace's goals costs.
const passMs: number[] = [];
const passStatements: number[] = [];
for (let run = 0; run < 30; run++) {
  server.events.detector.markWorkspace(workspaceId);
  const before = statements;
  const started = performance.now();
  await server.events.detector.flush();
  passMs.push(performance.now() - started);
  passStatements.push(statements - before);
}

controller.abort();
await listening;
await server.close();
await db.close();

const sorted = [...latencies].sort((a, b) => a - b);
const latency = summarize(latencies);
const result = {
  database: db.kind,
  goals: goalCount,
  debounceMs: Number(values.debounce),
  transitions,
  latencyMs: { median: latency.medianMs, p95: latency.p95Ms, p99: Math.round(percentile(sorted, 0.99) * 100) / 100, max: latency.maxMs },
  detectionPerWrite: { statementsMedian: percentile([...statementsPerWrite].sort((a, b) => a - b), 0.5), passMsMedian: summarize(passMs).medianMs, passMsP95: summarize(passMs).p95Ms, passStatementsMedian: percentile([...passStatements].sort((a, b) => a - b), 0.5) },
};
console.log(JSON.stringify(result, null, 2));
