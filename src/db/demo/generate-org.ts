import type { Prng } from './prng.js';
import { campaignChannelWeights, campaignThemes, channels, firstNames, lastNames, teamSpecs } from './reference.js';
import type { IdPool } from './session.js';
import { RowBuffer, tables } from './tables.js';
import { DAY, HISTORY_DAYS } from './time.js';

/** Teams, people and campaigns: the small tables the history hangs off. */
export interface Org {
  teamIds: number[];
  managerIds: number[];
  /** Rep user ids per team index. */
  reps: number[][];
  campaigns: { id: number; channel: string; startsAt: number; endsAt: number | null }[];
  /** Per campaign channel, per day of the history: ids of campaigns running. */
  activeCampaigns: Map<string, (number[] | undefined)[]>;
  buffers: { team: RowBuffer; user: RowBuffer; campaign: RowBuffer };
  ids: { team: number[]; user: number[]; campaign: number[] };
}

const ascii = (name: string): string =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');

export async function generateOrg(
  rng: Prng,
  deals: number,
  startMs: number,
  nowMs: number,
  pools: { team: IdPool; user: IdPool; campaign: IdPool },
): Promise<Org> {
  const team = new RowBuffer(tables.team);
  const user = new RowBuffer(tables.user);
  const campaign = new RowBuffer(tables.campaign);
  const teamIds = await pools.team.take(teamSpecs.length);
  const createdAt = startMs - 60 * DAY;
  for (const spec of teamSpecs) team.push([spec.name, createdAt]);

  // About one rep per 400 deals of history: a few per team for a tiny demo,
  // a sales floor of thousands for the largest.
  const repCount = Math.min(5_000, Math.max(teamSpecs.length * 2, Math.round(deals / 400)));
  const totalWeight = teamSpecs.reduce((sum, spec) => sum + spec.weight, 0);
  const perTeam = teamSpecs.map((spec) => Math.max(2, Math.round((repCount * spec.weight) / totalWeight)));
  const userIds = await pools.user.take(perTeam.reduce((sum, n) => sum + n + 1, 0));
  const emails = new Set<string>();
  const managerIds: number[] = [];
  const reps: number[][] = [];
  let next = 0;
  const addUser = (teamIndex: number, role: 'REP' | 'MANAGER'): number => {
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    const base = `${ascii(first)}.${ascii(last)}`;
    let email = `${base}@demo-co.example`;
    for (let n = 2; emails.has(email); n++) email = `${base}${n}@demo-co.example`;
    emails.add(email);
    // Reps join over time; managers were there from the start.
    const joined = role === 'MANAGER' ? createdAt : createdAt + rng.int(0, 90) * DAY;
    user.push([`${first} ${last}`, email, role, teamIds[teamIndex]!, joined]);
    return userIds[next++]!;
  };
  perTeam.forEach((count, teamIndex) => {
    managerIds.push(addUser(teamIndex, 'MANAGER'));
    const teamReps: number[] = [];
    for (let i = 0; i < count; i++) teamReps.push(addUser(teamIndex, 'REP'));
    reps.push(teamReps);
  });

  // About three campaigns a month over the history, trade shows in spring and autumn.
  const campaigns: Org['campaigns'] = [];
  const specs: { channel: string; startsAt: number; endsAt: number | null; name: string }[] = [];
  const months = Math.ceil(HISTORY_DAYS / 30.4);
  const first = new Date(startMs);
  for (let m = 0; m < months; m++) {
    const monthStart = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1);
    const monthIndex = new Date(monthStart).getUTCMonth();
    const count = rng.int(2, 4);
    for (let i = 0; i < count; i++) {
      let channel = channels[rng.weighted(campaignChannelWeights)]!.key;
      if (channel === 'trade_show' && ![2, 3, 4, 8, 9, 10].includes(monthIndex)) channel = 'social_ads';
      const startsAt = monthStart + rng.int(0, 27) * DAY + 8 * 3_600_000;
      const endsAt = startsAt + rng.int(2, 8) * 7 * DAY;
      if (startsAt >= nowMs) continue;
      const year = new Date(startsAt).getUTCFullYear();
      specs.push({ channel, startsAt, endsAt: endsAt > nowMs ? null : endsAt, name: `${rng.pick(campaignThemes)} ${year} · ${channel}` });
    }
  }
  const campaignIds = await pools.campaign.take(specs.length);
  const activeCampaigns = new Map<string, (number[] | undefined)[]>();
  specs.forEach((spec, index) => {
    const id = campaignIds[index]!;
    campaign.push([spec.name, spec.channel, spec.startsAt, spec.endsAt]);
    campaigns.push({ id, channel: spec.channel, startsAt: spec.startsAt, endsAt: spec.endsAt });
    const days = activeCampaigns.get(spec.channel) ?? [];
    activeCampaigns.set(spec.channel, days);
    const from = Math.max(0, Math.floor((spec.startsAt - startMs) / DAY));
    const to = Math.min(HISTORY_DAYS - 1, Math.floor(((spec.endsAt ?? nowMs) - startMs) / DAY));
    for (let day = from; day <= to; day++) (days[day] ??= []).push(id);
  });

  return {
    teamIds,
    managerIds,
    reps,
    campaigns,
    activeCampaigns,
    buffers: { team, user, campaign },
    ids: { team: teamIds, user: userIds, campaign: campaignIds },
  };
}
