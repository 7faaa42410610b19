import type {
  ActivityType,
  CustomerStatus,
  DealStage,
  DealType,
  LedgerKind,
  SpendCategory,
  SurveyKind,
  TicketKind,
  UserRole,
} from '../generated/prisma/enums.js';

/**
 * The partner test kit's data builder: a workspace and its rows from a short
 * spec, rows referring to each other by name. Every required field has a
 * default, so a test states only what its numbers depend on.
 *
 * Defaults that matter for KPIs: `createdAt` of customers and deals is
 * 2000-01-01T00:00:00Z (far before any test period, never "now"), a deal's
 * owner is its customer's owner, a customer's status follows its timestamps.
 */

/** An instant: an ISO string (with its offset, e.g. `2024-03-01T00:00:00Z`) or a Date. */
export type DateInput = string | Date;
/** Money as a decimal string (`"1234.56"`), kept exact; a number is accepted for whole amounts. */
export type MoneyInput = string | number;

export interface FixtureSpec {
  workspace?: { name?: string; timeZone?: string; currency?: string };
  /** Team names; teams named by users are created too. */
  teams?: readonly string[];
  users?: readonly { name: string; team?: string; email?: string; role?: UserRole }[];
  campaigns?: readonly { name: string; channel?: string; startsAt?: DateInput; endsAt?: DateInput }[];
  customers?: readonly {
    name: string;
    /** A user's name. */
    owner?: string;
    region?: string;
    industry?: string;
    channel?: string;
    status?: CustomerStatus;
    /** A campaign's name. */
    campaign?: string;
    createdAt?: DateInput;
    qualifiedAt?: DateInput;
    convertedAt?: DateInput;
    churnedAt?: DateInput;
  }[];
  deals?: readonly {
    /** The deal's title, unique in the fixture; defaults to `<customer> #<n>`. */
    name?: string;
    customer: string;
    /** A user's name; defaults to the customer's owner, `null` for none. */
    owner?: string | null;
    amount?: MoneyInput;
    stage?: DealStage;
    type?: DealType;
    productLine?: string;
    campaign?: string;
    createdAt?: DateInput;
    closedAt?: DateInput;
    expectedCloseAt?: DateInput;
    lostReason?: string;
  }[];
  stageEvents?: readonly { deal: string; from?: DealStage | null; to: DealStage; at: DateInput }[];
  activities?: readonly {
    type?: ActivityType;
    /** The acting user's name. */
    user?: string;
    customer: string;
    deal?: string;
    at: DateInput;
    note?: string;
  }[];
  payments?: readonly { customer: string; deal?: string; amount: MoneyInput; paidAt: DateInput }[];
  surveyResponses?: readonly { customer: string; kind: SurveyKind; score: number; answeredAt: DateInput; comment?: string }[];
  tickets?: readonly {
    customer: string;
    kind?: TicketKind;
    subject?: string;
    openedAt: DateInput;
    firstResponseAt?: DateInput;
    resolvedAt?: DateInput;
  }[];
  spend?: readonly { category?: SpendCategory; channel?: string; campaign?: string; date: DateInput; amount: MoneyInput }[];
  ledger?: readonly { kind: LedgerKind; category: string; date: DateInput; amount: MoneyInput; note?: string }[];
}

export interface Fixture {
  workspaceId: number;
  timeZone: string;
  /** What `evaluateKpi` takes as its scope. */
  scope: { workspaceId: number; timeZone: string };
  /** Row ids by name, e.g. for filters (`{ team: [String(ids.teams.North)] }`). */
  ids: {
    users: Record<string, number>;
    teams: Record<string, number>;
    customers: Record<string, number>;
    deals: Record<string, number>;
    campaigns: Record<string, number>;
  };
}
