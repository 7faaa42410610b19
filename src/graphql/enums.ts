import {
  ActivityType,
  CustomerStatus,
  DealStage,
  DealType,
  SpendCategory,
  SurveyKind,
  TicketKind,
  UserRole,
} from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const CustomerStatusEnum = builder.enumType(CustomerStatus, { name: 'CustomerStatus' });
export const DealStageEnum = builder.enumType(DealStage, {
  name: 'DealStage',
  description: 'The funnel: LEAD → QUALIFIED → NEEDS_ANALYSIS → PROPOSAL → NEGOTIATION → WON, or LOST at any point.',
});
export const DealTypeEnum = builder.enumType(DealType, { name: 'DealType' });
export const ActivityTypeEnum = builder.enumType(ActivityType, { name: 'ActivityType' });
export const SurveyKindEnum = builder.enumType(SurveyKind, { name: 'SurveyKind' });
export const TicketKindEnum = builder.enumType(TicketKind, { name: 'TicketKind' });
export const SpendCategoryEnum = builder.enumType(SpendCategory, { name: 'SpendCategory' });
export const UserRoleEnum = builder.enumType(UserRole, { name: 'UserRole' });

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

/** A date range filter: `from` inclusive, `to` exclusive. */
export const DateRangeInput = builder.inputType('DateRange', {
  description: 'A half-open range of instants: from (inclusive) to (exclusive). Either end may be left out.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
  }),
});

export function dateRangeWhere(range: { from?: Date | null; to?: Date | null } | null | undefined): { gte?: Date; lt?: Date } | undefined {
  if (!range) return undefined;
  return { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) };
}
