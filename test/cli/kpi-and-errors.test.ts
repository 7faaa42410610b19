import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult, CliServer } from './harness.js';
import { closedPort, runCli, startCliServer } from './harness.js';

/** `kpigraph kpi` against a real server (numbers worked out in harness.ts), and the exit statuses scripts rely on. */
let server: CliServer;
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();
const q1 = ['--period', '2025-01-01..2025-04-01'];

beforeAll(async () => {
  server = await startCliServer();
  // Accepts connections and never answers: for --timeout.
  silent = createNetServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  silentPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await server?.close();
});

const runAll = (commands: { args: string[]; env?: Record<string, string> }[]): Promise<CliResult[]> =>
  Promise.all(commands.map(({ args, env }) => runCli(args, env ?? server.env)));

describe('kpigraph kpi', () => {
  it('one value with --compare, a breakdown --by team with --compare, as table, JSON and CSV', async () => {
    const [value, table, json, csv] = await runAll([
      { args: ['kpi', 'win_rate', ...q1, '--compare', 'previous'] },
      { args: ['kpi', 'win_rate', ...q1, '--by', 'team', '--compare', 'previous'] },
      { args: ['kpi', 'win_rate', ...q1, '--by', 'team', '--compare', 'previous', '--json'] },
      { args: ['kpi', 'won_revenue', ...q1, '--by', 'region', '--filter', 'region=DE,FR', '--csv'] },
    ]);
    expect(value!.code, value!.stderr).toBe(0);
    // Bare dates are Berlin midnights: the quarter is exactly Q1, and "previous" is Q4 2024.
    expect(value!.stdout).toBe(
      [
        'win_rate — Win rate (percent, higher is better)',
        'period      2025-01-01..2025-04-01',
        'value       37.5 %',
        'target      —',
        'attainment  —',
        'status      NO_TARGET',
        'measures    3 / 8',
        'records     8',
        'previous    25.0 % over 2024-10-01..2025-01-01',
        'change      +12.5 pts (+50.0 %)',
        '',
      ].join('\n'),
    );

    expect(table!.code, table!.stderr).toBe(0);
    expect(table!.stdout).toBe(
      [
        'win_rate — Win rate (percent, higher is better) by team, 2025-01-01..2025-04-01 vs 2024-10-01..2025-01-01',
        'team    value  target  attainment  status     records  previous     change',
        'North  50.0 %       —           —  NO_TARGET        4    50.0 %   ±0.0 pts',
        'South  25.0 %       —           —  NO_TARGET        4     0.0 %  +25.0 pts',
        'total  37.5 %       —           —  NO_TARGET        8    25.0 %  +12.5 pts',
        '',
      ].join('\n'),
    );

    expect(json!.code, json!.stderr).toBe(0);
    const breakdown = JSON.parse(json!.stdout) as Record<string, unknown>;
    expect(breakdown).toMatchObject({
      key: 'win_rate',
      unit: 'PERCENT',
      by: 'team',
      period: { start: '2024-12-31T23:00:00.000Z', end: '2025-03-31T22:00:00.000Z' },
      total: { value: 0.375, sampleSize: 8, previous: { value: 0.25, change: 0.125, relativeChange: 0.5 } },
      groups: [
        { label: 'North', value: 0.5, previous: { value: 0.5, change: 0, relativeChange: 0 } },
        // No relative change from zero.
        { label: 'South', value: 0.25, previous: { value: 0, change: 0.25, relativeChange: null } },
      ],
    });

    expect(csv!.code, csv!.stderr).toBe(0);
    expect(csv!.stdout).toBe('key,label,value,target,attainment,status,sample_size\r\nDE,DE,15000,,,NO_TARGET,\r\nFR,FR,3000,,,NO_TARGET,\r\n');
  }, 90_000);
});

describe('exit statuses and messages', () => {
  it('3 unreachable, 4 refused key, 2 bad flags or bad input, 1 other errors, 0 for --help', async () => {
    const port = await closedPort();
    const down = `http://127.0.0.1:${port}/graphql`;
    const [unreachable, timeout, badKey, noKey, unknownFlag, badPeriod, badFailOn, both, serverBadInput, unknownKpi, help, importHelp, exportHelp] = await runAll([
      { args: ['goals', '--url', down] },
      { args: ['kpi', 'win_rate', '--period', 'last-quarter', '--timeout', '500ms'], env: { ...server.env, KPIGRAPH_URL: `http://127.0.0.1:${silentPort}/graphql` } },
      { args: ['goals', '--api-key', `kpg_aaaaaaaa_${'x'.repeat(32)}`] },
      { args: ['kpi', 'win_rate', '--period', 'last-quarter'], env: { KPIGRAPH_URL: server.url } },
      { args: ['goals', '--bogus'] },
      { args: ['kpi', 'win_rate', '--period', 'last-fortnight'] },
      { args: ['goals', '--fail-on', 'sometimes'] },
      { args: ['goals', '--json', '--csv'] },
      { args: ['kpi', 'win_rate', '--period', '2019-01-01..2025-01-01'] },
      { args: ['kpi', 'happiness', '--period', 'last-quarter'] },
      { args: ['goals', '--help'] },
      { args: ['import', '--help'] },
      { args: ['export', '-h'] },
    ]);
    const expectExit = (result: CliResult, code: number, message: RegExp) => {
      expect(result.code, `stderr: ${result.stderr}`).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    };
    expectExit(unreachable!, 3, new RegExp(`^kpigraph: cannot reach the kpigraph server at ${down.replace(/[.]/g, '\\.')}: connection refused`));
    expectExit(timeout!, 3, /cannot reach the kpigraph server at .*: no answer within 500 ms \(--timeout\)/);
    expectExit(badKey!, 4, /the API key was refused by .*: The API key is not valid or has been revoked\./);
    expectExit(noKey!, 4, /the API key was refused by .*: no API key was given\. Check --api-key or KPIGRAPH_API_KEY/);
    expectExit(unknownFlag!, 2, /Unknown option '--bogus'[\s\S]*Usage: kpigraph goals/);
    expectExit(badPeriod!, 2, /--period must be one of today, .*got last-fortnight\.[\s\S]*Usage: kpigraph kpi/);
    expectExit(badFailOn!, 2, /--fail-on must be one of at-risk, off-track; got sometimes\./);
    expectExit(both!, 2, /--json and --csv cannot be used together/);
    // The server's own BAD_USER_INPUT message, naming the field.
    expectExit(serverBadInput!, 2, /^kpigraph: Invalid input\. period: .*longer than the maximum/);
    expectExit(unknownKpi!, 1, /KPI happiness was not found/);
    expect(help!.code).toBe(0);
    expect(help!.stdout).toMatch(/^Usage: kpigraph goals[\s\S]*--fail-on[\s\S]*Exit status: 0 ok/);
    for (const [result, usage] of [[importHelp!, /^kpigraph import FILE… [\s\S]*--no-bulk never\n$/], [exportHelp!, /^kpigraph export \[--type TYPE…\][\s\S]*or stdout\)\n$/]] as const) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(usage);
    }
  }, 90_000);
});

describe('a server whose database is down', () => {
  it('exits 3, cannot reach, when the server answers 503 SERVICE_UNAVAILABLE', async () => {
    const body = JSON.stringify({ errors: [{ message: 'The database is unavailable; retry in 5 s.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    const outage = createHttpServer((_request, response) => response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end(body));
    await new Promise<void>((resolve) => outage.listen(0, '127.0.0.1', resolve));
    const address = outage.address();
    try {
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
      const result = await runCli(['goals', '--url', url], server.env);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/cannot reach the kpigraph server at .*: its database is unavailable; retry in 5 s/);
    } finally {
      await new Promise((resolve) => outage.close(resolve));
    }
  }, 30_000);
});
