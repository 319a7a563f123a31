// Proves the allocation policy pays named invoices first, then the oldest, never puts more on an
// invoice than it owes, and turns exactly the excess into credit — for every generated case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money, moneyOf } from '../money/index.ts';
import { allocatePayment, compareInvoiceNumbers, type OpenInvoice } from './allocation.ts';

const xof = (major: string) => moneyOf(major, 'XOF');
const invoice = (invoiceId: string, issuedOn: string, number: string, due: string): OpenInvoice => ({
  invoiceId,
  issuedOn,
  number,
  amountDue: xof(due),
});

describe('allocatePayment: examples', () => {
  const open = [
    invoice('c', '2026-03-01', 'F-2026-10', '3000'),
    invoice('a', '2026-01-15', 'F-2026-2', '5000'),
    invoice('b', '2026-01-15', 'F-2026-9', '4000'),
  ];

  it('pays the oldest first when nothing is named, number breaking a same-day tie', () => {
    const result = allocatePayment({ payment: xof('7000'), openInvoices: open });
    expect(result.allocations.map((a) => [a.invoiceId, a.amount.amountMinor, a.settlesInvoice])).toEqual([
      ['a', 5000n, true],
      ['b', 2000n, false],
    ]);
    expect(result.credit).toEqual(xof('0'));
  });

  it('pays named invoices first, in the order named, then the oldest', () => {
    const result = allocatePayment({
      payment: xof('8000'),
      explicitInvoiceIds: ['c', 'b'],
      openInvoices: open,
    });
    expect(result.allocations.map((a) => [a.invoiceId, a.amount.amountMinor])).toEqual([
      ['c', 3000n],
      ['b', 4000n],
      ['a', 1000n],
    ]);
  });

  it('turns what is left after every open invoice into credit', () => {
    const result = allocatePayment({ payment: xof('20000'), openInvoices: open });
    expect(result.credit).toEqual(xof('8000'));
  });

  it('reports a named invoice that is not open and leaves other currencies alone', () => {
    const result = allocatePayment({
      payment: xof('1000'),
      explicitInvoiceIds: ['gone'],
      openInvoices: [
        { invoiceId: 'eur', issuedOn: '2025-01-01', number: 'F-1', amountDue: moneyOf('10', 'EUR') },
      ],
    });
    expect(result.skipped).toEqual([
      { invoiceId: 'gone', reason: 'not_open' },
      { invoiceId: 'eur', reason: 'other_currency' },
    ]);
    expect(result.credit).toEqual(xof('1000'));
  });

  it('orders invoice numbers by their digits, not as text', () => {
    expect(compareInvoiceNumbers('F-2026-9', 'F-2026-10')).toBeLessThan(0);
    expect(compareInvoiceNumbers('F-2026-000010', 'F-2026-000009')).toBeGreaterThan(0);
  });
});

describe('allocatePayment: properties', () => {
  const openInvoices = fc
    .uniqueArray(
      fc.record({
        invoiceId: fc.stringMatching(/^inv-[a-z0-9]{1,6}$/),
        issuedOn: fc
          .date({
            min: new Date('2024-01-01T00:00:00Z'),
            max: new Date('2026-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().slice(0, 10)),
        number: fc.nat({ max: 999 }).map((n) => `F-${n}`),
        due: fc.bigInt({ min: 0n, max: 5_000_000n }),
      }),
      { selector: (i) => i.invoiceId, maxLength: 30 },
    )
    .map((rows) =>
      rows.map((r) => ({
        invoiceId: r.invoiceId,
        issuedOn: r.issuedOn,
        number: r.number,
        amountDue: money(r.due, 'XOF'),
      })),
    );

  const cases = openInvoices.chain((open) =>
    fc.record({
      open: fc.constant(open),
      payment: fc.bigInt({ min: 0n, max: 50_000_000n }),
      explicit: fc.subarray(
        open.map((i) => i.invoiceId),
        { minLength: 0 },
      ),
    }),
  );

  it('allocated + credit = payment, and no invoice gets more than it owes', () => {
    fc.assert(
      fc.property(cases, ({ open, payment, explicit }) => {
        const result = allocatePayment({
          payment: money(payment, 'XOF'),
          explicitInvoiceIds: explicit,
          openInvoices: open,
        });
        const allocated = result.allocations.reduce((total, a) => total + a.amount.amountMinor, 0n);
        expect(allocated + result.credit.amountMinor).toBe(payment);
        expect(result.credit.amountMinor >= 0n).toBe(true);
        const dueById = new Map(open.map((i) => [i.invoiceId, i.amountDue.amountMinor]));
        const seen = new Set<string>();
        for (const allocation of result.allocations) {
          expect(seen.has(allocation.invoiceId)).toBe(false);
          seen.add(allocation.invoiceId);
          expect(allocation.amount.amountMinor > 0n).toBe(true);
          expect(allocation.amount.amountMinor <= dueById.get(allocation.invoiceId)!).toBe(true);
        }
      }),
    );
  });

  it('leaves credit only when every open invoice is settled', () => {
    fc.assert(
      fc.property(cases, ({ open, payment, explicit }) => {
        const result = allocatePayment({
          payment: money(payment, 'XOF'),
          explicitInvoiceIds: explicit,
          openInvoices: open,
        });
        const totalDue = open.reduce((total, i) => total + i.amountDue.amountMinor, 0n);
        const expectedCredit = payment > totalDue ? payment - totalDue : 0n;
        expect(result.credit.amountMinor).toBe(expectedCredit);
      }),
    );
  });

  it('serves named invoices before any other one', () => {
    fc.assert(
      fc.property(cases, ({ open, payment, explicit }) => {
        const result = allocatePayment({
          payment: money(payment, 'XOF'),
          explicitInvoiceIds: explicit,
          openInvoices: open,
        });
        const named = new Set(explicit);
        const firstUnnamed = result.allocations.findIndex((a) => !named.has(a.invoiceId));
        if (firstUnnamed === -1) return;
        for (const a of result.allocations.slice(firstUnnamed)) expect(named.has(a.invoiceId)).toBe(false);
        // Every named invoice that owes something was settled before money went elsewhere.
        for (const invoice of open) {
          if (named.has(invoice.invoiceId) && invoice.amountDue.amountMinor > 0n) {
            const allocation = result.allocations.find((a) => a.invoiceId === invoice.invoiceId);
            expect(allocation?.settlesInvoice).toBe(true);
          }
        }
      }),
    );
  });
});
