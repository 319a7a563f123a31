import { currencyDigits, splitMinor } from './format.ts';
import type { Locale } from './format.ts';
import type { OverdueInvoice } from './api/types.ts';

/**
 * The overdue page's dunning forms, kept pure so their rules have a table test: the channels an
 * operator may remind by, and what the promise form starts from (the oldest overdue invoice and
 * all it still owes, as the amount field shows major units).
 */
export const reminderChannels = ['email', 'sms', 'phone'] as const;
export type ReminderChannel = (typeof reminderChannels)[number];

/** Minor units as an amount field holds them, in major units: `15000` XOF → `15000`, `1234` EUR → `12,34`. */
export function amountInput(minor: string, currency: string, locale: Locale): string {
  const { negative, whole, fraction } = splitMinor(minor, currencyDigits(currency));
  const separator = locale === 'fr' ? ',' : '.';
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `${separator}${fraction}`}`;
}

export interface PromiseDraft {
  readonly invoiceId: string;
  readonly amount: string;
}

/** The promise form for an invoice (by default the oldest overdue one): its whole amount due. */
export function promiseDraft(
  invoices: readonly OverdueInvoice[],
  locale: Locale,
  invoiceId?: string,
): PromiseDraft | null {
  const invoice = invoices.find((i) => i.invoiceId === invoiceId) ?? invoices[0];
  if (invoice === undefined) return null;
  return {
    invoiceId: invoice.invoiceId,
    amount: amountInput(invoice.amountDueMinor, invoice.currency, locale),
  };
}
