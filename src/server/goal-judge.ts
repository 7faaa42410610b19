/**
 * Judges goals outside any request, for the event detector: the same
 * progress computation the API answers with, through a goal service of
 * the goal's workspace (its own KPI query service, so a batch of goals is batched).
 */
import { attainment } from '../kpi/targets.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { scopedPrisma } from '../db/scoped-client.js';
import type { GoalJudgement, JudgeGoals } from '../goals/events/types.js';
import { toOptionalDecimal } from '../goals/goal-values.js';
import { GoalService } from '../goals/service.js';
import { createKpiQueryService } from '../kpi/query-service-factory.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { createWorkspaceRegistry, loadWorkspaceKpis } from '../kpi/workspace-kpis.js';

export function createGoalJudge(db: Database, config: Config, registry: () => Promise<KpiRegistry>): JudgeGoals {
  return async (workspaceId, goalIds, at) => {
    const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    // The workspace's own KPIs too (defineKpi), read fresh for each pass: a goal may measure one.
    const kpiRegistry = createWorkspaceRegistry(await registry(), await loadWorkspaceKpis(db, workspaceId));
    const prisma = scopedPrisma(db.prisma, workspaceId);
    const kpi = createKpiQueryService({
      db,
      workspaceId,
      timeZone: workspace.timeZone,
      registry: kpiRegistry,
      options: { maxRangeDays: config.KPI_MAX_RANGE_DAYS, maxBuckets: config.KPI_MAX_BUCKETS, defaultTimeoutMs: config.KPI_TIMEOUT_MS, rollups: config.ROLLUPS },
    });
    const service = new GoalService({ kpi, registry: kpiRegistry, prisma, timeZone: workspace.timeZone, atRiskMargin: config.GOAL_AT_RISK_MARGIN });
    const goals = await prisma.goal.findMany({ where: { id: { in: [...goalIds] } } });
    const byId = new Map(goals.map((goal) => [goal.id, goal]));
    return Promise.all(
      goalIds.map(async (id): Promise<GoalJudgement> => {
        const goal = byId.get(id);
        if (!goal) throw new Error(`Goal ${id} of workspace ${workspaceId} vanished while being judged.`);
        const shape = await service.progress(goal, at);
        const stretch = toOptionalDecimal(goal.stretchTarget);
        return {
          goalId: id,
          status: shape.progress.status,
          attainment: shape.progress.attainment,
          stretchAttainment: shape.definition && stretch ? attainment(shape.actual.value, stretch, shape.definition.direction) : null,
          actual: shape.actual.value,
          expected: shape.progress.expected,
          projected: shape.progress.projected,
          target: shape.target,
          numerator: shape.actual.numerator ?? null,
          denominator: shape.actual.denominator ?? null,
          at,
        };
      }),
    );
  };
}
