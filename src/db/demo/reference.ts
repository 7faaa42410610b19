import { cumulative } from './prng.js';

/** The fixed vocabulary of the demo company: teams, markets, products. */

export type Segment = 'enterprise' | 'mid' | 'smb';
export const segments: readonly Segment[] = ['enterprise', 'mid', 'smb'];
export const segmentWeights = cumulative([20, 35, 45]);

export interface TeamSpec {
  name: string;
  /** Share of the sales force. */
  weight: number;
}

export const teamSpecs: readonly TeamSpec[] = [
  { name: 'Enterprise DE', weight: 18 },
  { name: 'SMB DE', weight: 26 },
  { name: 'France', weight: 15 },
  { name: 'Nordics', weight: 13 },
  { name: 'Benelux', weight: 12 },
  { name: 'International', weight: 16 },
];

export interface RegionSpec {
  code: string;
  weight: number;
  legalForms: readonly string[];
  /** Team of the region's non-enterprise accounts (and enterprise ones outside DACH). */
  team: number;
  dach: boolean;
}

export const regions: readonly RegionSpec[] = [
  { code: 'DE', weight: 30, legalForms: ['GmbH', 'AG', 'GmbH & Co. KG'], team: 1, dach: true },
  { code: 'AT', weight: 5, legalForms: ['GmbH', 'AG'], team: 1, dach: true },
  { code: 'CH', weight: 5, legalForms: ['AG', 'GmbH'], team: 1, dach: true },
  { code: 'FR', weight: 14, legalForms: ['SAS', 'SA', 'SARL'], team: 2, dach: false },
  { code: 'SE', weight: 6, legalForms: ['AB'], team: 3, dach: false },
  { code: 'DK', weight: 3, legalForms: ['A/S', 'ApS'], team: 3, dach: false },
  { code: 'NO', weight: 3, legalForms: ['AS'], team: 3, dach: false },
  { code: 'FI', weight: 2, legalForms: ['Oy'], team: 3, dach: false },
  { code: 'NL', weight: 8, legalForms: ['B.V.', 'N.V.'], team: 4, dach: false },
  { code: 'BE', weight: 4, legalForms: ['NV', 'BV', 'SRL'], team: 4, dach: false },
  { code: 'GB', weight: 10, legalForms: ['Ltd', 'plc'], team: 5, dach: false },
  { code: 'IE', weight: 2, legalForms: ['Ltd'], team: 5, dach: false },
  { code: 'US', weight: 8, legalForms: ['Inc.', 'LLC', 'Corp.'], team: 5, dach: false },
];
export const regionWeights = cumulative(regions.map((region) => region.weight));
export const ENTERPRISE_DE_TEAM = 0;

export const industries = [
  'manufacturing', 'retail', 'software', 'healthcare', 'financial_services',
  'logistics', 'energy', 'education', 'media', 'public_sector',
] as const;
export const industryWeights = cumulative([18, 12, 14, 10, 9, 10, 6, 6, 7, 8]);

export interface ChannelSpec {
  key: string;
  weight: number;
  /** Multiplies the chance of moving on at each stage of a first deal. */
  quality: number;
  /** Whether marketing runs campaigns on it. */
  campaigns: boolean;
}

export const channels: readonly ChannelSpec[] = [
  { key: 'search', weight: 22, quality: 0.98, campaigns: true },
  { key: 'social_ads', weight: 20, quality: 0.9, campaigns: true },
  { key: 'outbound', weight: 17, quality: 0.93, campaigns: true },
  { key: 'trade_show', weight: 13, quality: 1.02, campaigns: true },
  { key: 'partner', weight: 15, quality: 1.06, campaigns: true },
  { key: 'referral', weight: 13, quality: 1.14, campaigns: false },
];
export const channelWeights = cumulative(channels.map((channel) => channel.weight));
export const campaignChannelWeights = cumulative(channels.map((channel) => (channel.campaigns ? channel.weight : 0)));

export interface ProductSpec {
  key: string;
  label: string;
  /** Median amount of a mid-market first deal, in cents. */
  medianCents: number;
  weight: number;
}

export const products: readonly ProductSpec[] = [
  { key: 'platform', label: 'Platform', medianCents: 2_400_000, weight: 40 },
  { key: 'analytics', label: 'Analytics', medianCents: 1_200_000, weight: 22 },
  { key: 'integrations', label: 'Integrations', medianCents: 800_000, weight: 14 },
  { key: 'services', label: 'Services', medianCents: 600_000, weight: 14 },
  { key: 'training', label: 'Training', medianCents: 250_000, weight: 10 },
];
export const productWeights = cumulative(products.map((product) => product.weight));
export const segmentAmountFactor: Record<Segment, number> = { enterprise: 3.2, mid: 1, smb: 0.45 };
/** Enterprise deals take longer at every stage. */
export const segmentPace: Record<Segment, number> = { enterprise: 1.8, mid: 1, smb: 0.7 };

export const lostReasons = ['price', 'competitor', 'no_budget', 'timing', 'no_decision', 'product_fit'] as const;
export const lostReasonWeights = cumulative([24, 22, 16, 14, 16, 8]);

export const companyStems = [
  'Nordlicht', 'Alpen', 'Rhein', 'Blau', 'Sonnen', 'Falke', 'Kristall', 'Eiche', 'Meridian', 'Atlas',
  'Horizon', 'Polaris', 'Vega', 'Aurora', 'Lumen', 'Vertex', 'Nova', 'Orion', 'Boreal', 'Cobalt',
  'Granit', 'Fjord', 'Lotus', 'Quartz', 'Helix', 'Summit', 'Harbor', 'Cedar', 'Delta', 'Zenith',
  'Argent', 'Corvus', 'Lynx', 'Onyx', 'Pioneer', 'Sterling', 'Tandem', 'Unity', 'Vista', 'Westwind',
];
export const companyWords: Record<(typeof industries)[number], readonly string[]> = {
  manufacturing: ['Maschinenbau', 'Industries', 'Werke', 'Fabrication'],
  retail: ['Retail', 'Handel', 'Stores', 'Commerce'],
  software: ['Software', 'Systems', 'Digital', 'Labs'],
  healthcare: ['Health', 'Medical', 'Care', 'Pharma'],
  financial_services: ['Finance', 'Capital', 'Invest', 'Assurance'],
  logistics: ['Logistik', 'Freight', 'Transport', 'Cargo'],
  energy: ['Energie', 'Power', 'Solar', 'Grid'],
  education: ['Academy', 'Learning', 'Campus', 'Bildung'],
  media: ['Media', 'Studios', 'Verlag', 'Publishing'],
  public_sector: ['Stadtwerke', 'Services', 'Agency', 'Verwaltung'],
};

export const firstNames = [
  'Anna', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Felix', 'Léa', 'Hugo', 'Camille', 'Louis', 'Elin', 'Oskar',
  'Freja', 'Emil', 'Sanne', 'Daan', 'Fleur', 'Noah', 'Olivia', 'James', 'Amelia', 'Liam', 'Mia', 'Paul',
  'Clara', 'Max', 'Ines', 'Jan', 'Lena', 'Tom',
];
export const lastNames = [
  'Müller', 'Schmidt', 'Weber', 'Fischer', 'Wagner', 'Becker', 'Martin', 'Bernard', 'Dubois', 'Laurent',
  'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'de Vries', 'Jansen', 'Peeters', 'Smith', 'Jones', 'Taylor',
  'Brown', 'Walsh', 'Keller', 'Hofmann', 'Richter', 'Lefèvre', 'Lindqvist', 'Bakker', 'Murphy', 'Wright',
];

export const campaignThemes = [
  'Launch', 'Webinar Series', 'Customer Stories', 'Year-End Offer', 'Spring Promo', 'Partner Days',
  'Product Tour', 'Free Trial Push', 'Industry Report', 'Roadshow',
];

export const ticketSubjects: Record<'COMPLAINT' | 'REQUEST' | 'INCIDENT', readonly string[]> = {
  COMPLAINT: ['Invoice amount disputed', 'Slow support answers', 'Missed onboarding session', 'Feature removed without notice'],
  REQUEST: ['Add users to the account', 'Export of last year\'s data', 'New report template', 'Change billing address', 'SSO setup'],
  INCIDENT: ['Dashboard does not load', 'Sync with ERP failing', 'Login error after update', 'Emails not delivered'],
};

export const activityNotes = [
  'Discovery call', 'Sent proposal draft', 'Demo for the buying team', 'Pricing discussion', 'Follow-up',
  'Intro via partner', 'On-site workshop', 'Reference call arranged', 'Check-in', 'Contract questions',
];

export const surveyComments = {
  good: ['Great support team', 'Easy to use', 'Saves us hours every week', 'Reliable and fast'],
  bad: ['Too expensive', 'Support takes too long', 'Missing integrations', 'Hard to set up'],
} as const;
