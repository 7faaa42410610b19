import { describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import { createRegistry } from '../../src/kpi/registry.js';

// Every key of KPI_CATALOGUE.md, section by section, with the percentile KPIs beside their means.
const catalogue = {
  launch: ['new_leads', 'valid_leads', 'new_customers', 'lead_conversion_rate', 'cac', 'calls_per_lead', 'referrals', 'campaign_revenue', 'campaign_new_customers'],
  growth: ['won_revenue', 'win_rate', 'avg_deal_size', 'median_deal_size', 'sales_cycle_days', 'sales_cycle_p90_days', 'open_deals', 'pipeline_value', 'stage_share', 'stage_conversion', 'new_revenue', 'cross_sell_ratio'],
  mature: ['active_customers', 'churn_rate', 'retention_rate', 'repurchase_rate', 'arpa', 'ltv', 'ltv_cac_ratio', 'top_customer_revenue_share'],
  experience: ['nps', 'csat', 'complaint_rate', 'first_response_hours', 'median_first_response_hours', 'complaint_resolution_rate'],
  roi: ['crm_roi'],
  segments: ['rfm_segment_share'],
};

describe('the built-in plugins', () => {
  it('pass the registry\'s checks together', () => {
    expect(() => createRegistry(builtInPlugins)).not.toThrow();
  });

  it('are exactly the catalogue\'s KPIs, in its order, each in the file named after its key', () => {
    expect(builtInPlugins.map((plugin) => plugin.definition.key)).toEqual(Object.values(catalogue).flat());
    for (const { definition, source } of builtInPlugins) {
      expect(source).toBe(`plugins/${definition.key.replace(/_/g, '-')}.ts`);
    }
  });

  it('serve the lifecycle stage of their catalogue section', () => {
    const byKey = new Map(builtInPlugins.map((plugin) => [plugin.definition.key, plugin.definition]));
    for (const stage of ['launch', 'growth', 'mature'] as const) {
      for (const key of catalogue[stage]) expect(byKey.get(key)?.stages, key).toContain(stage);
    }
  });

  it('describe themselves in one sentence a dashboard can show', () => {
    for (const { definition } of builtInPlugins) {
      expect(definition.description, definition.key).toMatch(/^[A-Z].*\.$/);
      // One sentence for the inputs plugins; compute plugins may need to say more about how they count.
      if (definition.kind === 'inputs') expect(definition.description.split('. ').length, definition.key).toBe(1);
    }
  });
});
