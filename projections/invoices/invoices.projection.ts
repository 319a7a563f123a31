import type { InvoiceEvent } from '../../domain/invoice/invoice.ts';
import { assertNever } from '../../domain/shared/decider.ts';
import { patch, type Projection, upsert } from '../runtime/projection.ts';

const invoices = 'rm_invoices';
const lines = 'rm_invoice_lines';
const creditNotes = 'rm_credit_notes';

export const invoiceEventTypes = [
  'InvoiceDrafted',
  'InvoiceLineAdded',
  'InvoiceLineRemoved',
  'InvoiceIssueStarted',
  'InvoiceIssued',
  'InvoicePaymentApplied',
  'InvoiceCustomerCreditApplied',
  'InvoicePaid',
  'InvoiceMarkedOverdue',
  'InvoiceWrittenOff',
  'InvoiceVoided',
  'CreditNoteIssued',
] as const satisfies readonly InvoiceEvent['type'][];

/**
 * Invoices as the back office lists them, their lines, and their credit notes. Amounts come from
 * the events (`amountDueAfter`, the issued totals), never recomputed, so a replay gives the rows
 * the invoice had at the time.
 */
export const invoicesProjection: Projection = {
  name: 'invoices',
  version: 1,
  tables: [
    { name: invoices, key: ['invoice_id'] },
    { name: lines, key: ['invoice_id', 'line_id'] },
    { name: creditNotes, key: ['credit_note_id'], lookups: [['tenant_id']] },
  ],
  eventTypes: invoiceEventTypes,
  evolve(recorded) {
    const event = { type: recorded.type, data: recorded.data } as InvoiceEvent;
    const position = recorded.position;
    const key = { invoice_id: event.data.invoiceId };
    switch (event.type) {
      case 'InvoiceDrafted': {
        const d = event.data;
        return [
          upsert(invoices, {
            invoice_id: d.invoiceId,
            tenant_id: d.tenantId,
            currency: d.currency,
            country: d.country,
            payment_terms_days: d.paymentTermsDays,
            tax_exemption_mention: d.taxExemptionMention,
            state: 'draft',
            drafted_at: d.draftedAt,
            position,
          }),
        ];
      }
      case 'InvoiceLineAdded': {
        const d = event.data;
        return [
          upsert(lines, {
            invoice_id: d.invoiceId,
            line_id: d.lineId,
            line_no: recorded.revision.toString(),
            kind: d.kind,
            description: d.description,
            quantity: d.quantity,
            currency: d.amount.currency,
            unit_price_minor: d.unitPrice.amountMinor,
            amount_minor: d.amount.amountMinor,
            period_from: d.period?.from ?? null,
            period_to: d.period?.to ?? null,
            removed: false,
          }),
          patch(invoices, key, { set: { position }, add: { lines_count: 1n } }),
        ];
      }
      case 'InvoiceLineRemoved':
        return [
          patch(
            lines,
            { invoice_id: event.data.invoiceId, line_id: event.data.lineId },
            { set: { removed: true } },
          ),
          patch(invoices, key, { set: { position }, add: { lines_count: -1n } }),
        ];
      case 'InvoiceIssueStarted':
        // The number is being reserved: the draft is frozen but the invoice is not issued yet.
        return [patch(invoices, key, { set: { state: 'issuing', position } })];
      case 'InvoiceIssued': {
        const d = event.data;
        return [
          patch(invoices, key, {
            set: {
              state: 'issued',
              number: d.number,
              issued_on: d.issuedOn,
              due_on: d.dueOn,
              tax_rate_percent: d.taxRatePercent,
              tax_exemption_mention: d.taxExemptionMention,
              subtotal_minor: d.subtotal.amountMinor,
              tax_minor: d.tax.amountMinor,
              total_minor: d.total.amountMinor,
              amount_due_minor: d.total.amountMinor,
              issued_at: d.issuedAt,
              position,
            },
          }),
        ];
      }
      case 'InvoicePaymentApplied':
        return [
          patch(invoices, key, {
            set: { amount_due_minor: event.data.amountDueAfter.amountMinor, position },
            add: { paid_minor: BigInt(event.data.amountApplied.amountMinor), payments_count: 1n },
          }),
        ];
      case 'InvoiceCustomerCreditApplied':
        return [
          patch(invoices, key, {
            set: { amount_due_minor: event.data.amountDueAfter.amountMinor, position },
            add: { customer_credit_applied_minor: BigInt(event.data.amountApplied.amountMinor) },
          }),
        ];
      case 'InvoicePaid':
        return [patch(invoices, key, { set: { state: 'paid', paid_on: event.data.paidOn, position } })];
      case 'InvoiceMarkedOverdue':
        return [
          patch(invoices, key, { set: { state: 'overdue', overdue_on: event.data.overdueOn, position } }),
        ];
      case 'InvoiceWrittenOff': {
        const written = BigInt(event.data.amountWrittenOff.amountMinor);
        return [
          patch(invoices, key, {
            set: {
              state: 'written_off',
              written_off_on: event.data.writtenOffOn,
              write_off_reason: event.data.reason,
              position,
            },
            add: { written_off_minor: written, amount_due_minor: -written },
          }),
        ];
      }
      case 'InvoiceVoided':
        return [
          patch(invoices, key, {
            set: {
              state: 'voided',
              void_reason: event.data.reason,
              voided_at: event.data.voidedAt,
              position,
            },
          }),
        ];
      case 'CreditNoteStarted':
        // A credit note whose number is being reserved: it shows once CreditNoteIssued records it.
        return [];
      case 'CreditNoteIssued': {
        const d = event.data;
        return [
          upsert(creditNotes, {
            credit_note_id: d.creditNoteId,
            invoice_id: d.invoiceId,
            number: d.number,
            invoice_number: d.invoiceNumber,
            issued_on: d.issuedOn,
            reason: d.reason,
            currency: d.total.currency,
            net_minor: d.net.amountMinor,
            tax_minor: d.tax.amountMinor,
            total_minor: d.total.amountMinor,
            applied_to_amount_due_minor: d.appliedToAmountDue.amountMinor,
            to_customer_balance_minor: d.toCustomerBalance.amountMinor,
            issued_at: d.issuedAt,
            position,
          }),
          patch(invoices, key, {
            set: { amount_due_minor: d.amountDueAfter.amountMinor, position },
            add: { credited_total_minor: BigInt(d.total.amountMinor), credit_notes_count: 1n },
          }),
        ];
      }
      default:
        return assertNever(event, 'invoice event');
    }
  },
  async afterBatch(tx, context) {
    // The credit note event names its invoice only; its tenant comes from the invoice row.
    if (!context.events.some((e) => e.type === 'CreditNoteIssued')) return;
    await tx.query(
      `UPDATE ${context.table(creditNotes)} AS c SET tenant_id = i.tenant_id
         FROM ${context.table(invoices)} AS i WHERE c.tenant_id IS NULL AND i.invoice_id = c.invoice_id`,
    );
  },
};
