// Proves the TVA rate is the one in force on the issue date for the country, and pins the
// per-invoice half-up rounding and the cumulative credit-note tax of docs/rounding-invoices.md.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../money/index.ts';
import { creditNoteTax, invoiceTax, type TaxRate, taxRateOn } from './tax.ts';

const xof = (major: string) => moneyOf(major, 'XOF');

describe('taxRateOn', () => {
  it('gives 18 % in Senegal', () => {
    expect(taxRateOn('SN', '2026-03-01')?.ratePercent).toBe('18');
  });

  it('switches rate on the effective date, not the day after', () => {
    expect(taxRateOn('FR', '2013-12-31')?.ratePercent).toBe('19.6');
    expect(taxRateOn('FR', '2014-01-01')?.ratePercent).toBe('20');
  });

  it('knows nothing before a country’s first row, nor of a country not in the table', () => {
    expect(taxRateOn('SN', '2012-12-31')).toBeNull();
    expect(taxRateOn('ZZ', '2026-03-01')).toBeNull();
  });

  it('takes the latest row in force whatever the order of the table', () => {
    const table: TaxRate[] = [
      { country: 'SN', effectiveFrom: '2027-01-01', ratePercent: '19', source: 'a future law' },
      { country: 'SN', effectiveFrom: '2013-01-01', ratePercent: '18', source: 'today' },
    ];
    expect(taxRateOn('SN', '2026-12-31', table)?.ratePercent).toBe('18');
    expect(taxRateOn('SN', '2027-01-01', table)?.ratePercent).toBe('19');
  });
});

describe('invoiceTax (per invoice, half-up)', () => {
  it.each([
    ['10000', '18', '1800'],
    ['9999', '18', '1800'], // 1 799.82
    ['25', '18', '5'], // 4.5: the half goes up
    ['2', '18', '0'], // 0.36
    ['3', '18', '1'], // 0.54
    ['1000', '19.6', '196'],
    ['10000', '0', '0'],
  ])('%s XOF at %s %% is %s XOF', (subtotal, rate, tax) => {
    expect(invoiceTax(xof(subtotal), rate)).toEqual(xof(tax));
  });
});

describe('creditNoteTax (cumulative)', () => {
  it('credits exactly the invoice’s tax once the whole subtotal is credited', () => {
    // Invoice: 10 XOF, tax round(1.8) = 2. Credits of 3, 3 and 4 XOF.
    expect(creditNoteTax(xof('0'), xof('3'), '18')).toEqual(xof('1'));
    expect(creditNoteTax(xof('3'), xof('3'), '18')).toEqual(xof('0'));
    expect(creditNoteTax(xof('6'), xof('4'), '18')).toEqual(xof('1'));
  });
});
