import type { InvoiceEvent } from '../../domain/invoice/invoice.ts';
import type { PaymentEvent } from '../../domain/payment/payment.ts';
import { assertNever } from '../../domain/shared/decider.ts';
import { patch, type Projection, upsert } from '../runtime/projection.ts';

const payments = 'rm_payments';
const allocations = 'rm_payment_allocations';

type Handled = PaymentEvent | Extract<InvoiceEvent, { type: 'InvoicePaymentApplied' }>;

/** Payments, from the provider session to the last refund, and how each was allocated to invoices. */
export const paymentsProjection: Projection = {
  name: 'payments',
  version: 1,
  tables: [
    { name: payments, key: ['payment_id'] },
    { name: allocations, key: ['payment_id', 'invoice_id'], lookups: [['tenant_id']] },
  ],
  eventTypes: [
    'PaymentInitiated',
    'PaymentSucceeded',
    'PaymentFailed',
    'PaymentFlaggedForReview',
    'PaymentRefunded',
    'ManualPaymentRecorded',
    'PaymentAllocated',
    'InvoicePaymentApplied',
  ],
  evolve(recorded) {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const position = recorded.position;
    const key = { payment_id: event.data.paymentId };
    switch (event.type) {
      case 'PaymentInitiated': {
        const d = event.data;
        return [
          upsert(payments, {
            payment_id: d.paymentId,
            tenant_id: d.tenantId,
            provider: d.provider,
            method: null,
            status: 'pending',
            currency: d.amount.currency,
            expected_minor: d.amount.amountMinor,
            invoice_ids: d.invoiceIds,
            provider_session_id: d.providerSessionId,
            client_reference: d.clientReference,
            started_at: d.initiatedAt,
            position,
          }),
        ];
      }
      case 'ManualPaymentRecorded': {
        const d = event.data;
        return [
          upsert(payments, {
            payment_id: d.paymentId,
            tenant_id: d.tenantId,
            provider: 'manual',
            method: d.method,
            status: 'succeeded',
            currency: d.amount.currency,
            expected_minor: d.amount.amountMinor,
            paid_minor: d.amount.amountMinor,
            invoice_ids: d.invoiceIds,
            client_reference: d.reference,
            received_on: d.receivedOn,
            started_at: d.recordedAt,
            settled_at: d.recordedAt,
            position,
          }),
        ];
      }
      case 'PaymentSucceeded':
        return [
          patch(payments, key, {
            set: {
              status: 'succeeded',
              paid_minor: event.data.amount.amountMinor,
              provider_transaction_id: event.data.providerTransactionId,
              settled_at: event.data.succeededAt,
              position,
            },
          }),
        ];
      case 'PaymentFailed':
        return [
          patch(payments, key, {
            set: {
              status: 'failed',
              failure_code: event.data.failureCode,
              failure_message: event.data.failureMessage,
              failed_at: event.data.failedAt,
              position,
            },
          }),
        ];
      case 'PaymentFlaggedForReview':
        return [
          patch(payments, key, {
            set: {
              status: 'flagged',
              review_reason: event.data.reason,
              received_minor: event.data.receivedAmount.amountMinor,
              provider_transaction_id: event.data.providerTransactionId,
              position,
            },
          }),
        ];
      case 'PaymentRefunded':
        return [
          patch(payments, key, {
            set: { ...(event.data.kind === 'full' ? { status: 'refunded' } : {}), position },
            add: { refunded_minor: BigInt(event.data.amount.amountMinor), refunds_count: 1n },
          }),
        ];
      case 'PaymentAllocated':
        // The plan; the amounts each invoice actually took arrive as InvoicePaymentApplied.
        return [
          patch(payments, key, { set: { credit_to_balance_minor: event.data.credit.amountMinor, position } }),
        ];
      case 'InvoicePaymentApplied': {
        const d = event.data;
        return [
          upsert(allocations, {
            payment_id: d.paymentId,
            invoice_id: d.invoiceId,
            currency: d.amountApplied.currency,
            amount_received_minor: d.amountReceived.amountMinor,
            amount_applied_minor: d.amountApplied.amountMinor,
            excess_minor: d.excess.amountMinor,
            amount_due_after_minor: d.amountDueAfter.amountMinor,
            applied_on: d.appliedOn,
            applied_at: d.appliedAt,
            position,
          }),
          patch(payments, key, { add: { allocated_minor: BigInt(d.amountApplied.amountMinor) } }),
        ];
      }
      default:
        return assertNever(event, 'payment event');
    }
  },
  async afterBatch(tx, context) {
    // An allocation event names the invoice and the payment; the tenant is the payment's.
    if (!context.events.some((e) => e.type === 'InvoicePaymentApplied')) return;
    await tx.query(
      `UPDATE ${context.table(allocations)} AS a SET tenant_id = p.tenant_id
         FROM ${context.table(payments)} AS p WHERE a.tenant_id IS NULL AND p.payment_id = a.payment_id`,
    );
  },
};
