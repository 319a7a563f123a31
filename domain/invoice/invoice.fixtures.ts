import { type CurrencyCode, type Money, moneyOf, toMoneyJson } from '../money/index.ts';
import { lineAmount } from './invoice.decide.ts';
import type { InvoiceEvent, LineKind } from './invoice.ts';

/**
 * Real events for tests, built the way the decider records them, so a `given` history is one the
 * system can actually produce.
 */
export const invoiceId = 'inv-1';
export const tenantId = 'tenant-1';
export const now = '2026-03-01T09:00:00Z';

export const xof = (major: string): Money => moneyOf(major, 'XOF');
export const eur = (major: string): Money => moneyOf(major, 'EUR');

export function drafted(
  overrides: Partial<{
    currency: CurrencyCode;
    country: string;
    taxExemptionMention: string | null;
    paymentTermsDays: number;
  }> = {},
): InvoiceEvent {
  return {
    type: 'InvoiceDrafted',
    data: {
      invoiceId,
      tenantId,
      currency: overrides.currency ?? 'XOF',
      country: overrides.country ?? 'SN',
      taxExemptionMention: overrides.taxExemptionMention ?? null,
      paymentTermsDays: overrides.paymentTermsDays ?? 15,
      draftedAt: now,
    },
  };
}

export function lineAdded(
  lineId: string,
  unitPrice: Money,
  options: Partial<{ kind: LineKind; quantity: string; description: string }> = {},
): InvoiceEvent {
  const quantity = options.quantity ?? '1';
  const kind = options.kind ?? 'subscription_period';
  return {
    type: 'InvoiceLineAdded',
    data: {
      invoiceId,
      lineId,
      kind,
      description: options.description ?? `line ${lineId}`,
      quantity,
      unitPrice: toMoneyJson(unitPrice),
      amount: toMoneyJson(lineAmount(quantity, unitPrice)),
      period: kind === 'one_off' || kind === 'discount' ? null : { from: '2026-03-01', to: '2026-03-31' },
    },
  };
}

/** An issued XOF invoice in Senegal: subtotal, 18 % tax per invoice, number F-2026-000001. */
export function issued(subtotalMajor: string, taxMajor: string, options: { issuedOn?: string } = {}) {
  const subtotal = xof(subtotalMajor);
  const tax = xof(taxMajor);
  const issuedOn = options.issuedOn ?? '2026-03-01';
  const events: InvoiceEvent[] = [
    drafted(),
    lineAdded('l1', subtotal),
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId,
        tenantId,
        number: 'F-2026-000001',
        issuedOn,
        dueOn: '2026-03-16',
        taxRatePercent: '18',
        taxExemptionMention: null,
        subtotal: toMoneyJson(subtotal),
        tax: toMoneyJson(tax),
        total: toMoneyJson(xof(String(BigInt(subtotalMajor) + BigInt(taxMajor)))),
        issuedAt: now,
      },
    },
  ];
  return events;
}

export function paymentApplied(
  paymentId: string,
  received: string,
  applied: string,
  dueAfter: string,
  appliedOn = '2026-03-05',
): InvoiceEvent {
  return {
    type: 'InvoicePaymentApplied',
    data: {
      invoiceId,
      paymentId,
      amountReceived: toMoneyJson(xof(received)),
      amountApplied: toMoneyJson(xof(applied)),
      excess: toMoneyJson(xof(String(BigInt(received) - BigInt(applied)))),
      amountDueAfter: toMoneyJson(xof(dueAfter)),
      appliedOn,
      appliedAt: now,
    },
  };
}

export function paid(paidOn = '2026-03-05'): InvoiceEvent {
  return { type: 'InvoicePaid', data: { invoiceId, paidOn, paidAt: now } };
}

export function markedOverdue(amountDue: string, overdueOn = '2026-03-17'): InvoiceEvent {
  return {
    type: 'InvoiceMarkedOverdue',
    data: {
      invoiceId,
      dueOn: '2026-03-16',
      overdueOn,
      amountDue: toMoneyJson(xof(amountDue)),
      markedAt: now,
    },
  };
}

export function voided(): InvoiceEvent {
  return { type: 'InvoiceVoided', data: { invoiceId, reason: 'duplicate draft', voidedAt: now } };
}

export function writtenOff(amount: string): InvoiceEvent {
  return {
    type: 'InvoiceWrittenOff',
    data: {
      invoiceId,
      reason: 'customer liquidated',
      amountWrittenOff: toMoneyJson(xof(amount)),
      writtenOffOn: '2026-09-01',
      writtenOffAt: now,
    },
  };
}

export function creditNoteIssued(
  creditNoteId: string,
  sequence: number,
  amounts: { net: string; tax: string; appliedToDue: string; dueAfter: string },
): InvoiceEvent {
  const total = BigInt(amounts.net) + BigInt(amounts.tax);
  return {
    type: 'CreditNoteIssued',
    data: {
      invoiceId,
      creditNoteId,
      number: `AV-2026-${String(sequence).padStart(6, '0')}`,
      invoiceNumber: 'F-2026-000001',
      issuedOn: '2026-03-10',
      reason: 'service outage',
      net: toMoneyJson(xof(amounts.net)),
      tax: toMoneyJson(xof(amounts.tax)),
      total: toMoneyJson(xof(String(total))),
      appliedToAmountDue: toMoneyJson(xof(amounts.appliedToDue)),
      toCustomerBalance: toMoneyJson(xof(String(total - BigInt(amounts.appliedToDue)))),
      amountDueAfter: toMoneyJson(xof(amounts.dueAfter)),
      issuedAt: now,
    },
  };
}
