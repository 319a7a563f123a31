import type { MoneyJson } from '../../domain/money/index.ts';
import { fold } from '../../domain/shared/decider.ts';
import { type TenantEvent, tenantDecider } from '../../domain/tenant/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { type SellerIdentity, sellerOn } from './seller.ts';

/**
 * What an invoice or credit-note PDF shows, built from recorded events only: the invoice stream
 * for the numbers and lines, the tenant stream as it stood when the document was issued for the
 * buyer, and the seller identity in force on the issue date. Nothing here reads a clock or a
 * read model, so the same events always give the same document.
 */
export type Language = 'fr' | 'en';

export interface Party {
  readonly legalName: string;
  readonly taxId: string;
  readonly tradeRegisterNumber: string;
  readonly addressLines: readonly string[];
  readonly email: string;
  readonly phone: string;
}

export interface DocumentLine {
  readonly kind: string;
  readonly description: string;
  readonly period: { readonly from: string; readonly to: string } | null;
  readonly quantity: string;
  readonly unitPrice: MoneyJson;
  readonly amount: MoneyJson;
}

export interface InvoiceDocument {
  readonly kind: 'invoice';
  readonly language: Language;
  readonly invoiceId: string;
  readonly number: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly seller: SellerIdentity;
  readonly buyer: Party;
  readonly lines: readonly DocumentLine[];
  readonly taxRatePercent: string;
  readonly taxExemptionMention: string | null;
  readonly subtotal: MoneyJson;
  readonly tax: MoneyJson;
  readonly total: MoneyJson;
  /** What the invoice asked for when issued; later payments are other documents. */
  readonly amountDue: MoneyJson;
  readonly paymentLink: string;
  /** When the invoice was recorded: the PDF's creation date, so a reprint is byte-identical. */
  readonly recordedAt: string;
}

export interface CreditNoteDocument {
  readonly kind: 'credit_note';
  readonly language: Language;
  readonly invoiceId: string;
  readonly creditNoteId: string;
  readonly number: string;
  readonly invoiceNumber: string;
  readonly issuedOn: string;
  readonly reason: string;
  readonly seller: SellerIdentity;
  readonly buyer: Party;
  readonly taxRatePercent: string;
  readonly net: MoneyJson;
  readonly tax: MoneyJson;
  readonly total: MoneyJson;
  readonly toCustomerBalance: MoneyJson;
  readonly recordedAt: string;
}

interface Drafted {
  invoiceId: string;
  tenantId: string;
}
interface LineAdded extends DocumentLine {
  lineId: string;
}
interface Issued {
  invoiceId: string;
  tenantId: string;
  number: string;
  issuedOn: string;
  dueOn: string;
  taxRatePercent: string;
  taxExemptionMention: string | null;
  subtotal: MoneyJson;
  tax: MoneyJson;
  total: MoneyJson;
}
interface CreditNote {
  creditNoteId: string;
  number: string;
  invoiceNumber: string;
  issuedOn: string;
  reason: string;
  net: MoneyJson;
  tax: MoneyJson;
  total: MoneyJson;
  toCustomerBalance: MoneyJson;
}

/** The tenant of the invoice stream, known from its first event; null for an empty stream. */
export function invoiceTenantId(invoiceEvents: readonly RecordedEvent[]): string | null {
  const drafted = invoiceEvents.find((e) => e.type === 'InvoiceDrafted');
  return drafted === undefined ? null : (drafted.data as Drafted).tenantId;
}

function buyerAt(
  tenantEvents: readonly RecordedEvent[],
  position: string,
): { party: Party; language: Language } {
  const state = fold(
    tenantDecider,
    tenantEvents
      .filter((e) => e.position <= position)
      .map((e) => ({ type: e.type, data: e.data }) as TenantEvent),
  );
  if (state.status === 'unregistered') throw new Error('the invoice names a tenant that was not registered');
  const d = state.details;
  return {
    language: d.preferredLanguage,
    party: {
      legalName: d.legalName,
      taxId: d.taxId,
      tradeRegisterNumber: d.tradeRegisterNumber,
      addressLines: [
        d.address.line1,
        ...(d.address.line2 === null ? [] : [d.address.line2]),
        [d.address.postalCode, d.address.city].filter((p) => p !== null && p !== '').join(' '),
        d.country,
      ],
      email: d.billingEmail,
      phone: d.billingPhone,
    },
  };
}

function linesOf(invoiceEvents: readonly RecordedEvent[], upTo: string): DocumentLine[] {
  const lines = new Map<string, DocumentLine>();
  for (const event of invoiceEvents) {
    if (event.position > upTo) break;
    if (event.type === 'InvoiceLineAdded') {
      const { lineId, kind, description, period, quantity, unitPrice, amount } = event.data as LineAdded;
      lines.set(lineId, { kind, description, period, quantity, unitPrice, amount });
    } else if (event.type === 'InvoiceLineRemoved') {
      lines.delete((event.data as { lineId: string }).lineId);
    }
  }
  return [...lines.values()];
}

/** The invoice as issued; null while it is a draft (a draft has no number and is never printed). */
export function invoiceDocument(
  invoiceEvents: readonly RecordedEvent[],
  tenantEvents: readonly RecordedEvent[],
  language?: Language,
): InvoiceDocument | null {
  const issuedEvent = invoiceEvents.find((e) => e.type === 'InvoiceIssued');
  if (issuedEvent === undefined) return null;
  const issued = issuedEvent.data as Issued;
  const buyer = buyerAt(tenantEvents, issuedEvent.position);
  const seller = sellerOn(issued.issuedOn);
  return {
    kind: 'invoice',
    language: language ?? buyer.language,
    invoiceId: issued.invoiceId,
    number: issued.number,
    issuedOn: issued.issuedOn,
    dueOn: issued.dueOn,
    seller,
    buyer: buyer.party,
    lines: linesOf(invoiceEvents, issuedEvent.position),
    taxRatePercent: issued.taxRatePercent,
    taxExemptionMention: issued.taxExemptionMention,
    subtotal: issued.subtotal,
    tax: issued.tax,
    total: issued.total,
    amountDue: issued.total,
    paymentLink: `${seller.paymentLinkBase}${encodeURIComponent(issued.invoiceId)}`,
    recordedAt: issuedEvent.recordedAt,
  };
}

export function creditNoteDocument(
  invoiceEvents: readonly RecordedEvent[],
  tenantEvents: readonly RecordedEvent[],
  creditNoteId: string,
  language?: Language,
): CreditNoteDocument | null {
  const issuedEvent = invoiceEvents.find((e) => e.type === 'InvoiceIssued');
  const noteEvent = invoiceEvents.find(
    (e) => e.type === 'CreditNoteIssued' && (e.data as CreditNote).creditNoteId === creditNoteId,
  );
  if (issuedEvent === undefined || noteEvent === undefined) return null;
  const note = noteEvent.data as CreditNote;
  const buyer = buyerAt(tenantEvents, noteEvent.position);
  return {
    kind: 'credit_note',
    language: language ?? buyer.language,
    invoiceId: (issuedEvent.data as Issued).invoiceId,
    creditNoteId,
    number: note.number,
    invoiceNumber: note.invoiceNumber,
    issuedOn: note.issuedOn,
    reason: note.reason,
    seller: sellerOn(note.issuedOn),
    buyer: buyer.party,
    taxRatePercent: (issuedEvent.data as Issued).taxRatePercent,
    net: note.net,
    tax: note.tax,
    total: note.total,
    toCustomerBalance: note.toCustomerBalance,
    recordedAt: noteEvent.recordedAt,
  };
}

/** The credit notes of an invoice stream, for listing. */
export function creditNotesOf(invoiceEvents: readonly RecordedEvent[]): CreditNote[] {
  return invoiceEvents.filter((e) => e.type === 'CreditNoteIssued').map((e) => e.data as CreditNote);
}
