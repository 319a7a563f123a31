/**
 * Numbers, amounts and dates for people, in French or English. Amounts arrive from the API as
 * strings of minor units and stay strings: they are regrouped digit by digit, never parsed into a
 * JavaScript number. The spelling follows the ledger's invoices (`15 000 FCFA`, `XOF 15,000`,
 * `45,16 €`, `€45.16`): narrow no-break spaces between French digit groups, a no-break space
 * before the symbol, so an amount never wraps across two lines.
 */
export type Locale = 'fr' | 'en';

export const narrowNoBreakSpace = '\u202f';
export const noBreakSpace = '\u00a0';

/** ISO 4217 minor-unit digits for the currencies the ledger bills in; others default to 2. */
const minorDigits: Readonly<Record<string, number>> = {
  XOF: 0,
  XAF: 0,
  GNF: 0,
  EUR: 2,
  USD: 2,
  GBP: 2,
  MAD: 2,
  TND: 3,
};

const frenchSymbols: Readonly<Record<string, string>> = {
  XOF: 'FCFA',
  XAF: 'FCFA',
  EUR: '€',
  USD: '$US',
  GNF: 'FG',
};

const englishPrefixSymbols: Readonly<Record<string, string>> = { EUR: '€', USD: '$', GBP: '£' };

export function currencyDigits(currency: string): number {
  return minorDigits[currency] ?? 2;
}

function groupThousands(digits: string, separator: string): string {
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    grouped = digits.slice(start, end) + (grouped === '' ? '' : separator + grouped);
  }
  return grouped === '' ? '0' : grouped;
}

/** Splits a minor-unit integer string into sign, whole and fraction digits of the major unit. */
export function splitMinor(
  minor: string,
  digits: number,
): { negative: boolean; whole: string; fraction: string } {
  const trimmed = minor.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new Error(`not an amount in minor units: ${JSON.stringify(minor)}`);
  const negative = trimmed.startsWith('-');
  const abs = (negative ? trimmed.slice(1) : trimmed).replace(/^0+(?=\d)/, '');
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits).replace(/^0+(?=\d)/, '');
  const fraction = digits === 0 ? '' : padded.slice(padded.length - digits);
  const isZero = /^0*$/.test(abs);
  return { negative: negative && !isZero, whole, fraction };
}

/**
 * A decimal string of minor units (MRR is ARR ÷ 12, so it has a fraction) rounded to a whole
 * minor unit for display, half away from zero, digit by digit: `'1041.5'` → `'1042'`.
 */
export function roundMinor(minor: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(minor.trim());
  if (match === null) throw new Error(`not an amount in minor units: ${JSON.stringify(minor)}`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction === '' || (fraction[0] ?? '0') < '5') return `${sign}${whole}`;
  const digits = whole.split('').map(Number);
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 9) {
    digits[i] = 0;
    i -= 1;
  }
  if (i < 0) digits.unshift(1);
  else digits[i] = (digits[i] ?? 0) + 1;
  return `${sign}${digits.join('')}`;
}

/** `formatAmount('15000', 'XOF', 'fr')` → `15 000 FCFA` (with no-break spaces). */
export function formatAmount(minor: string, currency: string, locale: Locale): string {
  const { negative, whole, fraction } = splitMinor(
    minor.includes('.') ? roundMinor(minor) : minor,
    currencyDigits(currency),
  );
  const sign = negative ? '-' : '';
  if (locale === 'fr') {
    const digits = groupThousands(whole, narrowNoBreakSpace) + (fraction === '' ? '' : `,${fraction}`);
    return `${sign}${digits}${noBreakSpace}${frenchSymbols[currency] ?? currency}`;
  }
  const digits = groupThousands(whole, ',') + (fraction === '' ? '' : `.${fraction}`);
  const prefix = englishPrefixSymbols[currency];
  return prefix === undefined ? `${sign}${currency}${noBreakSpace}${digits}` : `${sign}${prefix}${digits}`;
}

/**
 * A decimal string in major units (what an input field holds: `15 000`, `45,16`) to minor units,
 * or null when it is not an amount with at most the currency's digits.
 */
export function parseAmountInput(text: string, currency: string): string | null {
  const digits = currencyDigits(currency);
  const compact = text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(compact);
  if (match === null) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > digits) return null;
  const minor = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  return minor === '0' ? '0' : `${sign}${minor}`;
}

/** Whole numbers with the locale's grouping: `1 250` / `1,250`. */
export function formatCount(value: number | string, locale: Locale): string {
  const text = typeof value === 'number' ? String(Math.trunc(value)) : value;
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  return `${negative ? '-' : ''}${groupThousands(digits, locale === 'fr' ? narrowNoBreakSpace : ',')}`;
}

/**
 * A ratio as a percentage with one decimal (`0.0425` → `4,3 %` / `4.3%`). Ratios arrive as decimal
 * strings; they are not money, so a float is exact enough for one displayed decimal.
 */
export function formatPercent(ratio: string | number | null, locale: Locale, decimals = 1): string {
  if (ratio === null || ratio === '') return '—';
  const value = typeof ratio === 'number' ? ratio : Number(ratio);
  if (!Number.isFinite(value)) return '—';
  const text = (value * 100).toFixed(decimals);
  return locale === 'fr' ? `${text.replace('.', ',')}${narrowNoBreakSpace}%` : `${text}%`;
}

const monthsFr = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A legal calendar date (`YYYY-MM-DD`, the tenant's day) as people read it: `25/11/2026` in French,
 * `25 Nov 2026` in English. It is never turned into an instant, so no time zone can shift the day.
 */
export function formatDate(date: string | null | undefined, locale: Locale): string {
  if (date === null || date === undefined || date === '') return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (match === null) return date;
  const [, y, m, d] = match;
  if (locale === 'fr') return `${d}/${m}/${y}`;
  return `${Number(d)} ${monthsEn[Number(m) - 1] ?? m} ${y}`;
}

/** A calendar month (`YYYY-MM`) as a short label: `nov. 2026` / `Nov 2026`. */
export function formatMonth(month: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})/.exec(month);
  if (match === null) return month;
  const [, y, m] = match;
  const names = locale === 'fr' ? monthsFr : monthsEn;
  return `${names[Number(m) - 1] ?? m} ${y}`;
}

/** An instant (ISO 8601) in the reader's own time zone, as their browser shows it. */
export function formatDateTime(instant: string | null | undefined, locale: Locale): string {
  if (instant === null || instant === undefined || instant === '') return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}
