import type { Invoice, Money } from './api/types.ts';
import { parseAmountInput } from './format.ts';

/**
 * The credit-note form's arithmetic, pure so its table test needs no browser. The API decides (it
 * refuses more than is left, with the field at fault); this only spares a round trip for text that
 * is not an amount and shows what is left to credit.
 */
export type CreditKind = 'full' | 'partial';

/** `POST /api/v1/invoices/:invoiceId/credit-notes`. */
export interface CreditNoteRequest {
  readonly reason: string;
  readonly credit: { readonly kind: 'full' } | { readonly kind: 'partial'; readonly net: Money };
}

/**
 * What is still creditable before tax: the invoice's net (HT) less the net of its credit notes, in
 * minor units; null for a draft, which has no totals yet.
 */
export function creditableNet(invoice: Pick<Invoice, 'subtotal' | 'creditNotes'>): string | null {
  if (invoice.subtotal === null) return null;
  let left = BigInt(invoice.subtotal.amountMinor);
  for (const note of invoice.creditNotes) left -= BigInt(note.net.amountMinor);
  return (left > 0n ? left : 0n).toString();
}

/** The form's values as a request, or `null` when a partial amount is not a positive amount. */
export function creditNoteRequest(input: {
  readonly kind: CreditKind;
  readonly amount: string;
  readonly reason: string;
  readonly currency: string;
}): CreditNoteRequest | null {
  const reason = input.reason.trim();
  if (input.kind === 'full') return { reason, credit: { kind: 'full' } };
  const amountMinor = parseAmountInput(input.amount, input.currency);
  if (amountMinor === null || amountMinor === '0' || amountMinor.startsWith('-')) return null;
  return { reason, credit: { kind: 'partial', net: { amountMinor, currency: input.currency } } };
}
