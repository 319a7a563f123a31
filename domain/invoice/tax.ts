import { add, decimalToFraction, type Money, multiplyByRatio, subtract } from '../money/index.ts';
import { InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, isCalendarDate } from './calendar.ts';

/**
 * Value-added tax (TVA) on invoices: which rate applies, and how the tax is rounded.
 *
 * The rate is the one in force on the invoice's issue date for the tenant's country. The table is
 * data, pure and versioned with the code: a change of rate is a new row with its effective date,
 * never an edit of an old row, so an invoice issued before the change keeps the rate it was issued
 * with (and the issued event records that rate anyway, so replay never consults this table).
 *
 * ROUNDING RULE (docs/rounding-invoices.md): tax is computed once per invoice on the subtotal of
 * its lines, `tax = round_half_up(subtotal × rate)`, to a whole minor unit. Every line of an invoice
 * carries the same rate (the country's standard rate), so "per invoice" and "per rate" coincide.
 */

/** ISO 3166-1 alpha-2 country code of the tenant (the place of taxation for our B2B services). */
export type CountryCode = string;

export interface TaxRate {
  readonly country: CountryCode;
  /** First calendar day the rate applies (inclusive). */
  readonly effectiveFrom: CalendarDate;
  /** The rate as a decimal percentage string, `"18"`, `"19.6"`: never a float. */
  readonly ratePercent: string;
  /** Where the rate comes from, for the auditor reading this file. */
  readonly source: string;
}

/**
 * Standard TVA rates by country. Only Senegal is checked against a primary source in
 * /work/shared/reference/accounting-and-payments.md §5.1; the others are widely published rates the
 * accountant must confirm before the first invoice in that country (a missing country refuses to
 * issue rather than guess).
 */
export const taxRates: readonly TaxRate[] = [
  {
    country: 'SN',
    effectiveFrom: '2013-01-01',
    ratePercent: '18',
    source: 'CGI Sénégal (loi 2012-31), art. 369',
  },
  { country: 'CI', effectiveFrom: '2013-01-01', ratePercent: '18', source: 'CGI Côte d’Ivoire (to confirm)' },
  { country: 'ML', effectiveFrom: '2013-01-01', ratePercent: '18', source: 'CGI Mali (to confirm)' },
  { country: 'FR', effectiveFrom: '2000-04-01', ratePercent: '19.6', source: 'CGI art. 278 (before 2014)' },
  { country: 'FR', effectiveFrom: '2014-01-01', ratePercent: '20', source: 'CGI art. 278 (loi 2012-1510)' },
];

/**
 * The rate in force in `country` on `date`: the row with the latest `effectiveFrom` on or before
 * that date. Null when the country is not in the table or the date precedes its first row.
 */
export function taxRateOn(
  country: CountryCode,
  date: CalendarDate,
  table: readonly TaxRate[] = taxRates,
): TaxRate | null {
  if (!isCalendarDate(date)) throw new InvariantViolation(`not a calendar date: ${date}`);
  let found: TaxRate | null = null;
  for (const row of table) {
    if (row.country !== country || row.effectiveFrom > date) continue;
    if (found === null || row.effectiveFrom > found.effectiveFrom) found = row;
  }
  return found;
}

/** The tax on an invoice subtotal under the per-invoice, half-up rule. */
export function invoiceTax(subtotal: Money, ratePercent: string): Money {
  const [numerator, denominator] = decimalToFraction(ratePercent);
  if (numerator < 0n) throw new InvariantViolation(`negative tax rate ${ratePercent}`);
  return multiplyByRatio(subtotal, numerator, denominator * 100n, 'half_up');
}

/**
 * The tax on a credit note, computed so that credit notes can never credit more tax than the
 * invoice charged, and a series of partial credit notes that ends by crediting the whole subtotal
 * credits exactly the invoice's tax:
 *
 *   tax(credit) = invoiceTax(net credited before + net of this credit) − invoiceTax(net credited before)
 *
 * Because rounding is monotonic, each credit's tax is ≥ 0 and the running total never exceeds
 * `invoiceTax(subtotal)`. Rounding each partial credit on its own could (three credits of 3 XOF at
 * 18 % would credit 3 XOF of tax on an invoice of 10 XOF that charged 2).
 */
export function creditNoteTax(netCreditedBefore: Money, net: Money, ratePercent: string): Money {
  const after = invoiceTax(add(netCreditedBefore, net), ratePercent);
  return subtract(after, invoiceTax(netCreditedBefore, ratePercent));
}
