import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const committed = path.resolve('examples/dashboard/src/gql');
const fresh = path.resolve('tmp/dashboard-codegen');

it('the dashboard’s committed typed client is what codegen writes from its operations and the schema (run npm run dashboard:codegen)', () => {
  execFileSync('npx', ['graphql-codegen', '--config', 'examples/dashboard/codegen.ts'], { env: { ...process.env, CODEGEN_OUT: `${fresh}/` }, stdio: 'pipe' });
  const files = readdirSync(committed).sort();
  expect(readdirSync(fresh).sort()).toEqual(files);
  for (const file of files) expect(readFileSync(path.join(fresh, file), 'utf8'), file).toBe(readFileSync(path.join(committed, file), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(committed, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  const operations = Object.values(manifest).map((document) => /\b(?:query|subscription) (\w+)/.exec(document)?.[1]);
  expect(new Set(operations)).toEqual(new Set(['DashboardFunnel', 'DashboardGoalEvents', 'DashboardGoals', 'DashboardKpis', 'DashboardRfm', 'DashboardTrend']));
  expect(operations).toHaveLength(6);
}, 60_000);
