// Proves the overdue page's promise form starts from the right invoice and shows its amount due in major units.
import { describe, expect, it } from 'vitest';
import type { OverdueInvoice } from './api/types.ts';
import { amountInput, promiseDraft } from './dunning.ts';

const invoice = (invoiceId: string, amountDueMinor: string, currency = 'XOF'): OverdueInvoice => ({
  invoiceId,
  number: `F-2026-${invoiceId}`,
  currency,
  dueOn: '2026-10-16',
  amountDueMinor,
  promise: null,
});

describe('amountInput', () => {
  it.each([
    ['53100', 'XOF', 'fr', '53100'],
    ['1234', 'EUR', 'fr', '12,34'],
    ['1234', 'EUR', 'en', '12.34'],
    ['5', 'EUR', 'en', '0.05'],
  ] as const)('%s %s (%s) → %s', (minor, currency, locale, text) => {
    expect(amountInput(minor, currency, locale)).toBe(text);
  });
});

describe('promiseDraft', () => {
  const invoices = [invoice('a', '53100'), invoice('b', '1000')];

  it('starts from the oldest overdue invoice and all it owes', () => {
    expect(promiseDraft(invoices, 'fr')).toEqual({ invoiceId: 'a', amount: '53100' });
  });

  it('follows the invoice chosen, and falls back to the oldest for an unknown one', () => {
    expect(promiseDraft(invoices, 'fr', 'b')).toEqual({ invoiceId: 'b', amount: '1000' });
    expect(promiseDraft(invoices, 'fr', 'zz')).toEqual({ invoiceId: 'a', amount: '53100' });
  });

  it('has nothing to start from without an overdue invoice', () => {
    expect(promiseDraft([], 'en')).toBeNull();
  });
});
