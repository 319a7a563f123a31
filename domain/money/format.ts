import { assertNever } from '../shared/decider.ts';
import type { CurrencyCode } from './currency.ts';
import { type Money, toMajorString } from './money.ts';

/**
 * Amounts formatted for people, the same on every machine. We do not use `Intl.NumberFormat`:
 * its output depends on the ICU data bundled with each Node build (CLDR changed the French group
 * separator from U+00A0 to U+202F, and spells XOF "F CFA"), and an invoice must not change
 * between two servers.
 *
 * The typographic choice, pinned by tests:
 * - French: digits grouped by three with U+202F NARROW NO-BREAK SPACE, decimal comma, then
 *   U+00A0 NO-BREAK SPACE and the symbol: `15 000 FCFA`, `45,16 €`. Both spaces are no-break so
 *   an amount never wraps across two lines (the French typographic rule CLDR also follows).
 * - English: a symbol glued in front for €, $ and £ (`€45.16`), otherwise the ISO code, U+00A0,
 *   and the digits grouped with commas: `XOF 15,000`.
 * - A minus sign is a plain `-` in front of everything: `-15 000 FCFA`, `-€45.16`.
 * - `spaces: 'ascii'` swaps both special spaces for U+0020, for CSV cells, e-mail subjects and
 *   PDF fonts that lack U+202F.
 */
export type DisplayLanguage = 'fr' | 'en';

export interface FormatOptions {
  readonly spaces?: 'typographic' | 'ascii';
}

export const narrowNoBreakSpace = '\u202f';
export const noBreakSpace = '\u00a0';

const frenchSymbols: Partial<Record<CurrencyCode, string>> = {
  XOF: 'FCFA',
  XAF: 'FCFA',
  EUR: '€',
  USD: '$US',
  GNF: 'FG',
};

const englishPrefixSymbols: Partial<Record<CurrencyCode, string>> = {
  EUR: '€',
  USD: '$',
  GBP: '£',
};

export function formatMoney(amount: Money, language: DisplayLanguage, options: FormatOptions = {}): string {
  const ascii = options.spaces === 'ascii';
  const major = toMajorString(amount);
  const negative = major.startsWith('-');
  const [whole = '', fraction] = (negative ? major.slice(1) : major).split('.');
  const sign = negative ? '-' : '';
  switch (language) {
    case 'fr': {
      const group = ascii ? ' ' : narrowNoBreakSpace;
      const space = ascii ? ' ' : noBreakSpace;
      const digits = groupThousands(whole, group) + (fraction === undefined ? '' : `,${fraction}`);
      return `${sign}${digits}${space}${frenchSymbols[amount.currency] ?? amount.currency}`;
    }
    case 'en': {
      const digits = groupThousands(whole, ',') + (fraction === undefined ? '' : `.${fraction}`);
      const prefix = englishPrefixSymbols[amount.currency];
      if (prefix !== undefined) return `${sign}${prefix}${digits}`;
      return `${sign}${amount.currency}${ascii ? ' ' : noBreakSpace}${digits}`;
    }
    default:
      return assertNever(language, 'display language');
  }
}

function groupThousands(digits: string, separator: string): string {
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    grouped = digits.slice(start, end) + (grouped === '' ? '' : separator + grouped);
  }
  return grouped === '' ? '0' : grouped;
}
