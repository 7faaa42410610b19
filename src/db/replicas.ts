import pg from 'pg';
import type { Database, SqlResult } from './client.js';
import { readDataVersion } from './data-version.js';

export interface ReplicaOptions {
  urls: readonly string[];
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** How long a replica that failed is left alone before it is tried again. */
  retryAfterMs: number;
}

/** Where KPI batches were computed, and why not on a replica. */
export interface ReplicaCounters {
  replicaBatches: number;
  primaryBatches: number;
  /** Replicas passed over because they had not replayed the workspace's last commit. */
  behind: number;
  /** Replicas that failed a statement (then marked down for a while; the primary answered). */
  failures: number;
}

interface Replica {
  url: string;
  pool: pg.Pool;
  downUntil: number;
}

/**
 * PostgreSQL streaming replicas for KPI reads. A replica serves a workspace
 * only when it has replayed the workspace's current data version (read from
 * the primary in the same batch): so a reader never sees less than a commit
 * that had returned before it asked, its own writes included; otherwise the
 * primary answers. A replica that fails is skipped for `retryAfterMs`.
 */
export class ReplicaSet {
  private readonly replicas: Replica[];
  private next = 0;
  readonly counters: ReplicaCounters = { replicaBatches: 0, primaryBatches: 0, behind: 0, failures: 0 };

  constructor(private readonly options: ReplicaOptions) {
    this.replicas = options.urls.map((url) => {
      const pool = new pg.Pool({
        connectionString: url,
        max: options.poolSize,
        connectionTimeoutMillis: options.connectTimeoutMs,
        statement_timeout: options.statementTimeoutMs,
        query_timeout: options.statementTimeoutMs + 2_000,
        application_name: 'kpigraph-replica-reader',
        options: '-c jit=off',
      });
      pool.on('error', () => undefined);
      return { url, pool, downUntil: 0 };
    });
  }

  /**
   * The database to compute a batch of `workspaceId` on, given the version the
   * primary holds now: a replica that has replayed it, else the primary.
   */
  async choose(primary: Database, workspaceId: number, version: string): Promise<Database> {
    const now = Date.now();
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length]!;
      if (replica.downUntil > now) continue;
      try {
        const replayed = await readDataVersion({ query: (sql, params) => this.run(replica, sql, params) }, workspaceId);
        if (BigInt(replayed) < BigInt(version)) {
          this.counters.behind += 1;
          continue;
        }
      } catch {
        this.markDown(replica);
        continue;
      }
      this.next = (this.next + i + 1) % this.replicas.length;
      this.counters.replicaBatches += 1;
      return this.view(primary, replica);
    }
    this.counters.primaryBatches += 1;
    return primary;
  }

  /** The primary's connection with KPI statements sent to the replica; a failing statement is retried on the primary. */
  private view(primary: Database, replica: Replica): Database {
    const query = async <Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> => {
      try {
        return await this.run<Row>(replica, sql, params);
      } catch {
        this.markDown(replica);
        return primary.query<Row>(sql, params);
      }
    };
    return Object.assign(Object.create(primary) as Database, { query });
  }

  private async run<Row>(replica: Replica, sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    const result = await replica.pool.query(sql, [...params]);
    return { rows: result.rows as Row[] };
  }

  private markDown(replica: Replica): void {
    this.counters.failures += 1;
    replica.downUntil = Date.now() + this.options.retryAfterMs;
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.pool.end().catch(() => undefined)));
  }
}
