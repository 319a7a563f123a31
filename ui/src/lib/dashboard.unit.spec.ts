// Proves the dashboard's exact sums, its revenue churn ratio from the metrics API's strings, and
// its overdue total from the overdue invoices only (a floor when the list may be cut).
import { describe, expect, it } from 'vitest';
import { overdueInvoicesListedMax, overdueTotal, revenueChurnRate, sumMinor } from './dashboard.ts';

describe('sumMinor', () => {
  it.each([
    [[], '0'],
    [['15000', '2500'], '17500'],
    [['1041.5', '-500'], '542'],
    [['9007199254740993', '1'], '9007199254740994'],
  ])('%j → %s', (amounts, expected) => {
    expect(sumMinor(amounts)).toBe(expected);
  });
});

describe('revenueChurnRate', () => {
  it.each([
    ['100000', { churn: '-5000', contraction: '-1000' }, '0.060000'],
    ['100000', { new: '20000' }, '0.000000'],
    ['0', { churn: '-5000' }, null],
    ['300000', { churn: '-1000' }, '0.003333'],
    ['1041.5', { churn: '-1042' }, '1.000000'],
  ])('start %s, %j → %s', (start, byKind, expected) => {
    expect(revenueChurnRate(start, byKind)).toBe(expected);
  });
});

describe('overdueTotal', () => {
  const late = (amountDueMinor: string, currency = 'XOF') => ({
    invoiceId: `inv-${amountDueMinor}`,
    number: null,
    currency,
    dueOn: '2026-10-01',
    amountDueMinor,
    promise: null,
  });
  const row = (...invoices: ReturnType<typeof late>[]) => ({
    dunning: { overdueInvoices: invoices, promise: null, lastReminder: null },
  });
  it.each([
    ['no rows', [], false, { totalMinor: '0', complete: true }],
    ['a tenant owing nothing late', [row()], false, { totalMinor: '0', complete: true }],
    [
      'two tenants',
      [row(late('12700'), late('300')), row(late('1000'))],
      false,
      { totalMinor: '14000', complete: true },
    ],
    [
      'another currency left out',
      [row(late('12700'), late('50', 'EUR'))],
      false,
      { totalMinor: '12700', complete: true },
    ],
    ['rows on another page', [row(late('12700'))], true, { totalMinor: '12700', complete: false }],
    [
      'a tenant listing the maximum',
      [row(...Array.from({ length: overdueInvoicesListedMax }, () => late('100')))],
      false,
      { totalMinor: '1000', complete: false },
    ],
  ])('%s', (_, rows, moreRows, expected) => {
    expect(overdueTotal(rows, 'XOF', moreRows)).toEqual(expected);
  });
});
