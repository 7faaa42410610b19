/**
 * The members of each dimension a breakdown can list in full, and the names
 * of the named ones. Teams, owners (users) and campaigns are rows of their
 * own tables; deal stages, deal types and RFM segments are closed sets.
 * Channel, region, industry and product line are free text on the records
 * themselves: listing them would read the records, so their breakdowns hold
 * the groups that have records.
 */
import type { Database } from '../db/client.js';
import { DealStage, DealType } from '../generated/prisma/enums.js';
import { rfmSegments } from './rfm-segments.js';
import type { Dimension } from './types.js';

/** A team, user or campaign: its id, name and, for a user, team. */
export interface NamedMember {
  id: number;
  name: string;
  teamId: number | null;
}

export type NamedDimension = 'team' | 'owner' | 'campaign';

export const isNamedDimension = (dimension: Dimension): dimension is NamedDimension =>
  dimension === 'team' || dimension === 'owner' || dimension === 'campaign';

/** Dimensions whose every value is known without reading a table. */
const closedSets: Partial<Record<Dimension, readonly string[]>> = {
  stage: Object.values(DealStage),
  dealType: Object.values(DealType),
  rfmSegment: rfmSegments,
};

/** The values of a closed dimension; undefined for any other. */
export function closedMembers(dimension: Dimension): readonly string[] | undefined {
  return closedSets[dimension];
}

/** Whether a breakdown by the dimension lists every member (named or closed), not only those with records. */
export const isEnumerable = (dimension: Dimension): boolean => isNamedDimension(dimension) || closedSets[dimension] !== undefined;

interface Entry {
  members: Promise<readonly NamedMember[]>;
  until: number;
  /** The workspace's data version read before the members were, when the reader knew it. */
  version: bigint | undefined;
}

/**
 * Named members per workspace and dimension, shared by the process's
 * requests for a short while: they change rarely, and a dashboard asks for
 * the same ones on every refresh. A request that meets a group the list
 * does not hold (a team created meanwhile) re-reads it (`refresh`).
 */
export class GroupDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 60_000,
  ) {}

  /**
   * The members of a named dimension in a workspace, read at most once a
   * `ttlMs` unless refreshed. A reader that knows the workspace's data
   * version (`atVersion`) never gets a list read before that version.
   */
  members(workspaceId: number, dimension: NamedDimension, atVersion?: string): Promise<readonly NamedMember[]> {
    const entry = this.entries.get(`${workspaceId}:${dimension}`);
    const version = atVersion === undefined ? undefined : BigInt(atVersion);
    const recentEnough = version === undefined || (entry?.version !== undefined && entry.version >= version);
    if (entry && entry.until > Date.now() && recentEnough) return entry.members;
    return this.refresh(workspaceId, dimension, atVersion);
  }

  /** Reads the members again (one statement) and keeps them. */
  refresh(workspaceId: number, dimension: NamedDimension, atVersion?: string): Promise<readonly NamedMember[]> {
    const key = `${workspaceId}:${dimension}`;
    const members = this.read(workspaceId, dimension);
    this.entries.set(key, { members, until: Date.now() + this.ttlMs, version: atVersion === undefined ? undefined : BigInt(atVersion) });
    void members.catch(() => this.entries.delete(key));
    return members;
  }

  private async read(workspaceId: number, dimension: NamedDimension): Promise<readonly NamedMember[]> {
    const where = { where: { workspaceId }, orderBy: { id: 'asc' as const } };
    const { prisma } = this.db;
    if (dimension === 'owner') return prisma.user.findMany({ ...where, select: { id: true, name: true, teamId: true } });
    const rows = dimension === 'team' ? await prisma.team.findMany({ ...where, select: { id: true, name: true } }) : await prisma.campaign.findMany({ ...where, select: { id: true, name: true } });
    return rows.map((row) => ({ ...row, teamId: null }));
  }
}
