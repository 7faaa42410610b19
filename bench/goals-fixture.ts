/**
 * The 100 goals of the goals page. The demo generator creates none, so the
 * bench adds them: every goal's period ends before the bench's `now`, so
 * progress does not depend on the day the bench runs.
 */
import type { Database } from '../src/db/client.js';
import { benchNow } from './clock.js';

export const benchGoalCount = 100;
const marker = 'bench goal';

/** KPIs with simple inputs, so the floor can compute the same progress by hand. */
export const benchGoalKpis = ['won_revenue', 'new_leads', 'valid_leads', 'new_customers', 'win_rate'] as const;

export interface GoalSpec {
  kpiKey: string;
  target: string;
  periodStart: Date;
  periodEnd: Date;
  ownerTeamId: number | null;
  scope: Record<string, string[]>;
  description: string;
}

/** Whole calendar months (in UTC) before the bench's `now`, newest first. */
function monthsBefore(count: number): { start: Date; end: Date }[] {
  const months: { start: Date; end: Date }[] = [];
  for (let i = 1; i <= count; i++) {
    const start = new Date(Date.UTC(benchNow.getUTCFullYear(), benchNow.getUTCMonth() - i, 1));
    const end = new Date(Date.UTC(benchNow.getUTCFullYear(), benchNow.getUTCMonth() - i + 1, 1));
    months.push({ start, end });
  }
  return months;
}

const targets: Record<(typeof benchGoalKpis)[number], number> = { won_revenue: 500_000, new_leads: 400, valid_leads: 100, new_customers: 60, win_rate: 0.3 };

/** A deterministic list: KPIs × recent months × owners (the company or one team). */
export function goalSpecs(teamIds: readonly number[]): GoalSpec[] {
  const months = monthsBefore(20);
  const owners: (number | null)[] = [null, ...teamIds];
  return Array.from({ length: benchGoalCount }, (_, i): GoalSpec => {
    const kpiKey = benchGoalKpis[i % benchGoalKpis.length]!;
    const month = months[Math.floor(i / benchGoalKpis.length) % months.length]!;
    const owner = owners[i % owners.length] ?? null;
    return {
      kpiKey,
      target: String(targets[kpiKey as keyof typeof targets]),
      periodStart: month.start,
      periodEnd: month.end,
      ownerTeamId: owner,
      scope: owner === null ? {} : { team: [String(owner)] },
      description: `${marker} ${i + 1}: ${kpiKey}`,
    };
  });
}

/** Makes sure the workspace has exactly the bench's goals (idempotent). */
export async function seedGoals(db: Database, workspaceId: number): Promise<void> {
  const existing = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Goal" WHERE "workspaceId" = $1 AND description LIKE $2`, [workspaceId, `${marker} %`]);
  if (existing.rows[0]!.n === benchGoalCount) return;
  await db.query(`DELETE FROM "Goal" WHERE "workspaceId" = $1 AND description LIKE $2`, [workspaceId, `${marker} %`]);
  const teams = await db.query<{ id: number }>('SELECT id FROM "Team" WHERE "workspaceId" = $1 ORDER BY id', [workspaceId]);
  const specs = goalSpecs(teams.rows.map((row) => row.id));
  await db.query(
    `INSERT INTO "Goal" ("workspaceId", "kpiKey", target, "periodStart", "periodEnd", "ownerTeamId", scope, description, "updatedAt")
     SELECT $1, k, t, s, e, o, sc, d, now()
     FROM unnest($2::text[], $3::numeric[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::jsonb[], $8::text[]) AS g(k, t, s, e, o, sc, d)`,
    [
      workspaceId,
      specs.map((g) => g.kpiKey),
      specs.map((g) => g.target),
      specs.map((g) => g.periodStart.toISOString()),
      specs.map((g) => g.periodEnd.toISOString()),
      specs.map((g) => g.ownerTeamId),
      specs.map((g) => JSON.stringify(g.scope)),
      specs.map((g) => g.description),
    ],
  );
}
