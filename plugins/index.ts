/**
 * The built-in KPI plugins, in the catalogue's order (docs: KPI_CATALOGUE.md).
 * An explicit list rather than a directory scan, so that a stray file never
 * becomes a KPI and the registry reports each plugin by its file.
 */
import type { KpiPlugin } from '../src/kpi/sdk.js';
import activeCustomers from './active-customers.js';
import arpa from './arpa.js';
import avgDealSize from './avg-deal-size.js';
import cac from './cac.js';
import callsPerLead from './calls-per-lead.js';
import campaignNewCustomers from './campaign-new-customers.js';
import campaignRevenue from './campaign-revenue.js';
import churnRate from './churn-rate.js';
import complaintRate from './complaint-rate.js';
import complaintResolutionRate from './complaint-resolution-rate.js';
import crmRoi from './crm-roi.js';
import crossSellRatio from './cross-sell-ratio.js';
import csat from './csat.js';
import firstResponseHours from './first-response-hours.js';
import leadConversionRate from './lead-conversion-rate.js';
import ltv from './ltv.js';
import medianDealSize from './median-deal-size.js';
import medianFirstResponseHours from './median-first-response-hours.js';
import ltvCacRatio from './ltv-cac-ratio.js';
import newCustomers from './new-customers.js';
import newLeads from './new-leads.js';
import newRevenue from './new-revenue.js';
import nps from './nps.js';
import openDeals from './open-deals.js';
import pipelineValue from './pipeline-value.js';
import referrals from './referrals.js';
import repurchaseRate from './repurchase-rate.js';
import retentionRate from './retention-rate.js';
import rfmSegmentShare from './rfm-segment-share.js';
import salesCycleDays from './sales-cycle-days.js';
import salesCycleP90Days from './sales-cycle-p90-days.js';
import stageConversion from './stage-conversion.js';
import stageShare from './stage-share.js';
import topCustomerRevenueShare from './top-customer-revenue-share.js';
import validLeads from './valid-leads.js';
import winRate from './win-rate.js';
import wonRevenue from './won-revenue.js';

const builtIn = (definition: KpiPlugin, file: string): { definition: KpiPlugin; source: string } => ({
  definition,
  source: `plugins/${file}`,
});

export const builtInPlugins: ReadonlyArray<{ definition: KpiPlugin; source: string }> = [
  // Acquisition
  builtIn(newLeads, 'new-leads.ts'),
  builtIn(validLeads, 'valid-leads.ts'),
  builtIn(newCustomers, 'new-customers.ts'),
  builtIn(leadConversionRate, 'lead-conversion-rate.ts'),
  builtIn(cac, 'cac.ts'),
  builtIn(callsPerLead, 'calls-per-lead.ts'),
  builtIn(referrals, 'referrals.ts'),
  builtIn(campaignRevenue, 'campaign-revenue.ts'),
  builtIn(campaignNewCustomers, 'campaign-new-customers.ts'),
  // Sales process
  builtIn(wonRevenue, 'won-revenue.ts'),
  builtIn(winRate, 'win-rate.ts'),
  builtIn(avgDealSize, 'avg-deal-size.ts'),
  builtIn(medianDealSize, 'median-deal-size.ts'),
  builtIn(salesCycleDays, 'sales-cycle-days.ts'),
  builtIn(salesCycleP90Days, 'sales-cycle-p90-days.ts'),
  builtIn(openDeals, 'open-deals.ts'),
  builtIn(pipelineValue, 'pipeline-value.ts'),
  builtIn(stageShare, 'stage-share.ts'),
  builtIn(stageConversion, 'stage-conversion.ts'),
  builtIn(newRevenue, 'new-revenue.ts'),
  builtIn(crossSellRatio, 'cross-sell-ratio.ts'),
  // Retention and value
  builtIn(activeCustomers, 'active-customers.ts'),
  builtIn(churnRate, 'churn-rate.ts'),
  builtIn(retentionRate, 'retention-rate.ts'),
  builtIn(repurchaseRate, 'repurchase-rate.ts'),
  builtIn(arpa, 'arpa.ts'),
  builtIn(ltv, 'ltv.ts'),
  builtIn(ltvCacRatio, 'ltv-cac-ratio.ts'),
  builtIn(topCustomerRevenueShare, 'top-customer-revenue-share.ts'),
  // Customer experience
  builtIn(nps, 'nps.ts'),
  builtIn(csat, 'csat.ts'),
  builtIn(complaintRate, 'complaint-rate.ts'),
  builtIn(firstResponseHours, 'first-response-hours.ts'),
  builtIn(medianFirstResponseHours, 'median-first-response-hours.ts'),
  builtIn(complaintResolutionRate, 'complaint-resolution-rate.ts'),
  // Return on the CRM itself
  builtIn(crmRoi, 'crm-roi.ts'),
  // Customer segments
  builtIn(rfmSegmentShare, 'rfm-segment-share.ts'),
];
