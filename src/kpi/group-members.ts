/**
 * A request's view of dimension members: which groups a complete breakdown
 * lists and how each group is labelled. Named members come from the
 * process's GroupDirectory; within a request each dimension is read at most
 * once (again only when a group turns up that the shared list lacks), so a
 * dashboard of many breakdowns costs one statement per dimension at most.
 */
import { missingGroupKey } from './define.js';
import type { GroupKey } from './define.js';
import type { GroupDirectory, NamedDimension, NamedMember } from './group-directory.js';
import { closedMembers, isNamedDimension } from './group-directory.js';
import type { Dimension, DimensionFilter } from './types.js';

interface MemberList {
  members: Promise<readonly NamedMember[]>;
  /** Read by this request: a group it lacks has no row. */
  fresh: boolean;
}

/** The label of a group without a value for the dimension. */
export const missingGroupLabel = '(none)';

export class GroupMembers {
  private readonly lists = new Map<NamedDimension, MemberList>();
  /** Each member list's names by key, built once: a dashboard labels hundreds of breakdowns from one list. */
  private readonly names = new WeakMap<readonly NamedMember[], ReadonlyMap<GroupKey, string>>();

  constructor(
    private readonly directory: GroupDirectory,
    private readonly workspaceId: number,
    /** The request's pinned data version, if any: shared lists read before it are read again. */
    private readonly pinnedVersion: () => Promise<string> | undefined = () => undefined,
  ) {}

  /**
   * Every member of the dimension a breakdown within `filter` lists, or
   * undefined when the dimension cannot be listed. A filter on the same
   * dimension keeps its values only; owners are kept to the filter's teams
   * (a record's team is its owner's), so a team key lists its own team and
   * its own people.
   */
  async keys(dimension: Dimension, filter: DimensionFilter): Promise<readonly GroupKey[] | undefined> {
    const asked = filter[dimension];
    const keep = (key: string) => !asked || asked.includes(key);
    const closed = closedMembers(dimension);
    if (closed) return closed.filter(keep);
    if (!isNamedDimension(dimension)) return undefined;
    const teams = filter.team;
    const members = await this.list(dimension, []);
    return members
      .filter((member) => dimension !== 'owner' || !teams || (member.teamId !== null && teams.includes(String(member.teamId))))
      .map((member) => String(member.id))
      .filter(keep);
  }

  /** A readable label per group key: names of teams, owners and campaigns; other values are their own labels. */
  async labels(dimension: Dimension, keys: readonly GroupKey[]): Promise<Map<GroupKey, string>> {
    const labels = new Map<GroupKey, string>();
    const ids = isNamedDimension(dimension) ? keys.filter((key) => key !== missingGroupKey).map(Number).filter(Number.isSafeInteger) : [];
    const names = ids.length > 0 ? this.namesOf(await this.list(dimension as NamedDimension, ids)) : new Map<GroupKey, string>();
    for (const key of keys) labels.set(key, key === missingGroupKey ? missingGroupLabel : (names.get(key) ?? key));
    return labels;
  }

  private namesOf(members: readonly NamedMember[]): ReadonlyMap<GroupKey, string> {
    let names = this.names.get(members);
    if (!names) this.names.set(members, (names = new Map(members.map((member) => [String(member.id), member.name]))));
    return names;
  }

  /** The dimension's members, re-read once in this request when they lack one of `ids`. */
  private async list(dimension: NamedDimension, ids: readonly number[]): Promise<readonly NamedMember[]> {
    let list = this.lists.get(dimension);
    if (!list) {
      const pinned = this.pinnedVersion();
      list = { members: pinned ? pinned.then((version) => this.directory.members(this.workspaceId, dimension, version)) : this.directory.members(this.workspaceId, dimension), fresh: false };
      this.lists.set(dimension, list);
    }
    const members = await list.members;
    if (list.fresh || ids.length === 0) return members;
    const known = new Set(members.map((member) => member.id));
    if (ids.every((id) => known.has(id))) return members;
    const current = this.lists.get(dimension)!;
    if (current === list) this.lists.set(dimension, { members: this.directory.refresh(this.workspaceId, dimension), fresh: true });
    return this.lists.get(dimension)!.members;
  }
}
