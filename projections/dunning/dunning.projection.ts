import type { DunningEvent } from '../../domain/dunning/dunning.ts';
import type { InvoiceEvent } from '../../domain/invoice/invoice.ts';
import { patch, type Projection, type RowOp, upsert } from '../runtime/projection.ts';

const reminders = 'rm_dunning_reminders';
const promises = 'rm_payment_promises';

type Handled = DunningEvent | InvoiceEvent;

/**
 * What dunning did per tenant, for the overdue page: every reminder with its channel and sender,
 * and per invoice the promise to pay in force with the money applied since it was recorded (the
 * invoice events that follow move it; before a promise exists they find no row and change
 * nothing). Whether a promise is kept, broken or still active depends on the day it is read
 * (`domain/dunning/promise-status.ts`), so the rows keep the facts, not the verdict.
 */
export const dunningProjection: Projection = {
  name: 'dunning',
  version: 1,
  tables: [
    { name: reminders, key: ['reminder_id'], lookups: [['tenant_id']] },
    { name: promises, key: ['invoice_id'], lookups: [['tenant_id']] },
  ],
  eventTypes: [
    'ReminderSent',
    'PaymentPromised',
    'InvoicePaymentApplied',
    'InvoiceCustomerCreditApplied',
    'CreditNoteIssued',
    'InvoiceWrittenOff',
  ],
  evolve(recorded): RowOp[] {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    switch (event.type) {
      case 'ReminderSent': {
        const d = event.data;
        return [
          upsert(reminders, {
            reminder_id: recorded.id,
            invoice_id: d.invoiceId,
            tenant_id: d.tenantId,
            trigger: d.trigger,
            stage: d.stage,
            channel: d.channel,
            sent_on: d.sentOn,
            sent_at: d.sentAt,
            sent_by_kind: d.sentBy?.kind ?? null,
            sent_by_id: d.sentBy?.id ?? null,
            note: d.note,
          }),
        ];
      }
      case 'PaymentPromised': {
        const d = event.data;
        // Every column is set, so a later promise on the same invoice starts again from zero.
        return [
          upsert(promises, {
            invoice_id: d.invoiceId,
            tenant_id: d.tenantId,
            promise_id: recorded.id,
            currency: d.amount.currency,
            promised_on: d.promisedOn,
            amount_minor: d.amount.amountMinor,
            amount_due_when_promised_minor: d.amountDue.amountMinor,
            note: d.note,
            recorded_on: d.recordedOn,
            recorded_at: d.recordedAt,
            recorded_by_kind: d.recordedBy.kind,
            recorded_by_id: d.recordedBy.id,
            paid_since_minor: '0',
            amount_due_minor: d.amountDue.amountMinor,
            written_off: false,
          }),
        ];
      }
      case 'InvoicePaymentApplied':
      case 'InvoiceCustomerCreditApplied':
        return [
          patch(
            promises,
            { invoice_id: event.data.invoiceId },
            {
              set: { amount_due_minor: event.data.amountDueAfter.amountMinor },
              add: { paid_since_minor: BigInt(event.data.amountApplied.amountMinor) },
            },
          ),
        ];
      case 'CreditNoteIssued':
        return [
          patch(
            promises,
            { invoice_id: event.data.invoiceId },
            { set: { amount_due_minor: event.data.amountDueAfter.amountMinor } },
          ),
        ];
      case 'InvoiceWrittenOff':
        return [
          patch(
            promises,
            { invoice_id: event.data.invoiceId },
            { set: { amount_due_minor: '0', written_off: true } },
          ),
        ];
      default:
        return [];
    }
  },
};
