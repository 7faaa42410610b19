import type { Database } from './client.js';

/**
 * The workspace's data version: a counter that database triggers raise once
 * in every committed transaction that changed the workspace's rows (records,
 * goals, its settings). Equal versions mean equal data, so results cached
 * under a version stay right until it moves. A workspace never written has
 * version 0.
 */
export async function readDataVersion(db: Pick<Database, 'query'>, workspaceId: number): Promise<string> {
  const { rows } = await db.query<{ version: string | number | bigint }>(
    'SELECT "version" FROM "WorkspaceDataVersion" WHERE "workspaceId" = $1',
    [workspaceId],
  );
  return rows[0] === undefined ? '0' : String(rows[0].version);
}

/**
 * A request's reads of its workspace's data version. A request that writes
 * nothing may pin the version once, and its KPI batches and its response
 * cache then share that one read; any other request reads afresh each time,
 * so that what it reads after its own write is keyed by the new version.
 */
export class RequestDataVersion {
  private pinned: Promise<string> | undefined;

  constructor(
    private readonly db: Pick<Database, 'query'>,
    private readonly workspaceId: number,
  ) {}

  /** The pinned version, else the current one. */
  read(): Promise<string> {
    return this.pinned ?? readDataVersion(this.db, this.workspaceId);
  }

  /** The pinned version, if the request pinned one. */
  get pinnedVersion(): Promise<string> | undefined {
    return this.pinned;
  }

  /** Reads the version once for the rest of the request; for read-only requests only. */
  pin(): Promise<string> {
    this.pinned ??= readDataVersion(this.db, this.workspaceId);
    return this.pinned;
  }
}

const identities = new WeakMap<object, Promise<string>>();

/**
 * Names the database for keys kept outside it (a Redis shared by several
 * deployments): the cluster's system identifier, which its streaming
 * replicas share, and the database's name. Read once per connection.
 */
export function databaseIdentity(db: Pick<Database, 'query'>): Promise<string> {
  let identity = identities.get(db);
  if (!identity) {
    identity = db
      .query<{ id: string }>('SELECT (SELECT system_identifier FROM pg_control_system())::text || \'/\' || current_database() AS id')
      .then(({ rows }) => rows[0]!.id);
    identity.catch(() => identities.delete(db));
    identities.set(db, identity);
  }
  return identity;
}
