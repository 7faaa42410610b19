/**
 * Decides when goals are judged: a workspace marked by a write (a mutation,
 * an import, a change to a goal) is judged after a short debounce, off the
 * request path; every goal still open is judged on a clock, for changes that
 * come from time alone (the pace falls behind, the period ends). Judging is
 * batched per workspace; what changed is recorded once and then published.
 */
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { OnRecorded } from './recorder.js';
import { readStates, recordJudgements } from './recorder.js';
import type { SourceName } from '../../kpi/measures.js';
import type { TouchedSources } from './sources.js';
import { canMove, mergeTouched } from './sources.js';
import type { GoalEventPayload, JudgeGoals, JudgedGoal } from './types.js';

export interface DetectorOptions {
  prisma: PrismaClient;
  judge: JudgeGoals;
  /** Receives the events recorded by this process, after their commit. */
  publish: (events: GoalEventPayload[]) => void | Promise<void>;
  onRecorded?: OnRecorded;
  /** The sources a workspace's KPI reads (null: unknown, judged after every write); without it every write judges every goal. */
  kpiReads?: (workspaceId: number, kpiKey: string) => Promise<ReadonlySet<SourceName> | null>;
  /** The time goals are judged at; injectable for tests. */
  now?: () => Date;
  /** How long marks gather before a workspace is judged. */
  debounceMs: number;
  /** How often every open goal is judged; 0 turns the clock off. */
  intervalMs: number;
  /** Goals judged per batch. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

export interface DetectorStats {
  passes: number;
  goalsJudged: number;
  eventsRecorded: number;
}

export class GoalEventDetector {
  private readonly dirty = new Map<number, TouchedSources>();
  private debounce: NodeJS.Timeout | undefined;
  private clock: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;
  readonly stats: DetectorStats = { passes: 0, goalsJudged: 0, eventsRecorded: 0 };
  private readonly now: () => Date;

  constructor(private readonly options: DetectorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Starts the clock. */
  start(): void {
    if (this.options.intervalMs > 0) {
      this.clock = setInterval(() => void this.tick(), this.options.intervalMs);
      this.clock.unref();
    }
  }

  /** A write committed in this workspace: judge soon its goals whose KPI reads a source it touched. */
  markWorkspace(workspaceId: number, touched: TouchedSources = 'all'): void {
    if (this.closed) return;
    this.dirty.set(workspaceId, mergeTouched(this.dirty.get(workspaceId), touched));
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.flush();
    }, this.options.debounceMs);
    this.debounce.unref();
  }

  /** Judges the marked workspaces now. */
  flush(): Promise<void> {
    const marks = new Map(this.dirty);
    this.dirty.clear();
    return this.serially(() => this.judgeWorkspaces(marks));
  }

  /** Judges every open goal of every workspace (the clock's pass). */
  tick(): Promise<void> {
    return this.serially(() => this.judgeWorkspaces(null));
  }

  /** Waits for the pass under way and stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    clearInterval(this.clock);
    await this.running;
  }

  /** Passes run one after another, so one process never judges a goal twice at once. */
  private serially(pass: () => Promise<void>): Promise<void> {
    const next = this.running.then(pass).catch((error: unknown) => this.options.onError?.(error));
    this.running = next;
    return next;
  }

  /** Judges the goals of marked workspaces that their writes can move, or (null) every open goal. */
  private async judgeWorkspaces(marks: ReadonlyMap<number, TouchedSources> | null): Promise<void> {
    if (marks?.size === 0) return;
    this.stats.passes += 1;
    const open = await this.openGoals(marks ? [...marks.keys()] : null);
    const goals = marks ? await this.movable(open, marks) : open;
    const byWorkspace = new Map<number, JudgedGoal[]>();
    for (const goal of goals) byWorkspace.set(goal.workspaceId, [...(byWorkspace.get(goal.workspaceId) ?? []), goal]);
    const size = this.options.batchSize ?? 200;
    for (const [workspaceId, list] of byWorkspace) {
      for (let offset = 0; offset < list.length; offset += size) {
        await this.judgeBatch(workspaceId, list.slice(offset, offset + size), 0);
      }
    }
  }

  private async judgeBatch(workspaceId: number, goals: JudgedGoal[], retry: number): Promise<void> {
    const at = this.now();
    const ids = goals.map((goal) => goal.id);
    const [judgements, states] = await Promise.all([this.options.judge(workspaceId, ids, at), readStates(this.options.prisma, ids)]);
    this.stats.goalsJudged += goals.length;
    const judged = goals.map((goal, index) => ({ goal, judgement: judgements[index]! }));
    const { events, contended } = await recordJudgements(this.options.prisma, judged, states, this.options.onRecorded);
    this.stats.eventsRecorded += events.length;
    if (events.length > 0) await this.options.publish(events);
    // Another process recorded these goals meanwhile, from data this judgement may not have seen.
    if (contended.length > 0 && retry < 3) await this.judgeBatch(workspaceId, goals.filter((goal) => contended.includes(goal.id)), retry + 1);
  }

  /** The goals a workspace's writes can move: their KPI reads a touched source. */
  private async movable(goals: JudgedGoal[], marks: ReadonlyMap<number, TouchedSources>): Promise<JudgedGoal[]> {
    const { kpiReads } = this.options;
    if (!kpiReads) return goals;
    const reads = new Map<string, ReadonlySet<SourceName> | null>();
    for (const goal of goals) {
      const key = `${goal.workspaceId}/${goal.kpiKey}`;
      if (!reads.has(key)) reads.set(key, await kpiReads(goal.workspaceId, goal.kpiKey));
    }
    return goals.filter((goal) => canMove(marks.get(goal.workspaceId) ?? 'all', reads.get(`${goal.workspaceId}/${goal.kpiKey}`)!));
  }

  /**
   * Goals that can still change: not archived, and not already judged after
   * their period's end (a period that ended is judged once more, then never).
   */
  private async openGoals(workspaceIds: number[] | null): Promise<JudgedGoal[]> {
    const rows = await this.options.prisma.goal.findMany({
      where: { archivedAt: null, ...(workspaceIds ? { workspaceId: { in: workspaceIds } } : {}) },
      select: { id: true, workspaceId: true, kpiKey: true, ownerUserId: true, ownerTeamId: true, periodEnd: true, ownerUser: { select: { teamId: true } } },
      orderBy: { id: 'asc' },
    });
    const states = await readStates(this.options.prisma, rows.map((row) => row.id));
    return rows
      .filter((row) => {
        const state = states.get(row.id);
        return !state || state.judgedAt.getTime() < row.periodEnd.getTime();
      })
      .map((row) => ({
        id: row.id,
        workspaceId: row.workspaceId,
        kpiKey: row.kpiKey,
        ownerUserId: row.ownerUserId,
        teamId: row.ownerTeamId ?? row.ownerUser?.teamId ?? null,
        periodEnd: row.periodEnd,
      }));
  }
}
