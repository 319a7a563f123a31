/** The countries the ledger bills in (the API's list), with the currency a new tenant defaults to. */
export const countries = [
  'SN',
  'CI',
  'ML',
  'BF',
  'NE',
  'TG',
  'BJ',
  'GW',
  'CM',
  'GA',
  'CG',
  'TD',
  'CF',
  'GQ',
  'GN',
  'MR',
  'GM',
  'CV',
  'SL',
  'LR',
  'GH',
  'NG',
  'MA',
  'TN',
  'DZ',
  'FR',
  'BE',
  'CH',
  'CA',
  'US',
  'GB',
] as const;

const xaf = new Set(['CM', 'GA', 'CG', 'TD', 'CF', 'GQ']);
const xof = new Set(['SN', 'CI', 'ML', 'BF', 'NE', 'TG', 'BJ', 'GW']);

export function defaultCurrency(country: string): string {
  if (xof.has(country)) return 'XOF';
  if (xaf.has(country)) return 'XAF';
  if (country === 'GN') return 'GNF';
  if (country === 'US') return 'USD';
  return 'EUR';
}

export const timeZones: Readonly<Record<string, string>> = {
  SN: 'Africa/Dakar',
  CI: 'Africa/Abidjan',
  ML: 'Africa/Bamako',
  BF: 'Africa/Ouagadougou',
  NE: 'Africa/Niamey',
  TG: 'Africa/Lome',
  BJ: 'Africa/Porto-Novo',
  CM: 'Africa/Douala',
  GN: 'Africa/Conakry',
  FR: 'Europe/Paris',
};
