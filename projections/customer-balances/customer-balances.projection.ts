import type { CustomerBalanceEvent } from '../../domain/customer-balance/customer-balance.ts';
import type { InvoiceEvent } from '../../domain/invoice/invoice.ts';
import { patch, type Projection, type RowOp, upsert } from '../runtime/projection.ts';

const balances = 'rm_customer_balances';
const perInvoice = 'rm_balance_invoices';

type Handled = CustomerBalanceEvent | InvoiceEvent;

/**
 * Each tenant's receivable (the sum of its open invoice balances) and credit balance. Invoice
 * events name their invoice, not always their tenant, so the projection keeps a row per invoice
 * and re-sums the tenants a batch touched, in the batch's transaction.
 */
export const customerBalancesProjection: Projection = {
  name: 'customer-balances',
  version: 1,
  tables: [
    { name: perInvoice, key: ['invoice_id'], lookups: [['tenant_id']] },
    { name: balances, key: ['tenant_id'] },
  ],
  eventTypes: [
    'InvoiceDrafted',
    'InvoiceIssued',
    'InvoicePaymentApplied',
    'InvoiceCustomerCreditApplied',
    'CreditNoteIssued',
    'InvoiceWrittenOff',
    'CreditBalanceIncreased',
    'CreditBalanceApplied',
  ],
  evolve(recorded): RowOp[] {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    switch (event.type) {
      case 'InvoiceDrafted':
        return [
          upsert(perInvoice, {
            invoice_id: event.data.invoiceId,
            tenant_id: event.data.tenantId,
            currency: event.data.currency,
          }),
        ];
      case 'InvoiceIssued':
        return [
          patch(
            perInvoice,
            { invoice_id: event.data.invoiceId },
            {
              set: {
                issued: true,
                total_minor: event.data.total.amountMinor,
                amount_due_minor: event.data.total.amountMinor,
                due_on: event.data.dueOn,
              },
            },
          ),
        ];
      case 'InvoicePaymentApplied':
      case 'InvoiceCustomerCreditApplied':
        return [
          patch(
            perInvoice,
            { invoice_id: event.data.invoiceId },
            {
              set: { amount_due_minor: event.data.amountDueAfter.amountMinor },
              add: { paid_minor: BigInt(event.data.amountApplied.amountMinor) },
            },
          ),
        ];
      case 'CreditNoteIssued':
        return [
          patch(
            perInvoice,
            { invoice_id: event.data.invoiceId },
            {
              set: { amount_due_minor: event.data.amountDueAfter.amountMinor },
              add: { credited_minor: BigInt(event.data.total.amountMinor) },
            },
          ),
        ];
      case 'InvoiceWrittenOff': {
        const written = BigInt(event.data.amountWrittenOff.amountMinor);
        return [
          patch(
            perInvoice,
            { invoice_id: event.data.invoiceId },
            {
              add: { written_off_minor: written, amount_due_minor: -written },
            },
          ),
        ];
      }
      case 'CreditBalanceIncreased':
      case 'CreditBalanceApplied':
        // The event carries the balance after it: no sum can drift from the aggregate's own.
        return [
          upsert(balances, {
            tenant_id: event.data.tenantId,
            currency: event.data.balanceAfter.currency,
            credit_balance_minor: event.data.balanceAfter.amountMinor,
          }),
        ];
      default:
        return [];
    }
  },
  async afterBatch(tx, context) {
    const invoiceIds: string[] = [];
    for (const e of context.events) {
      const data = e.data as { invoiceId?: string };
      if (e.type.startsWith('Invoice') || e.type === 'CreditNoteIssued') invoiceIds.push(data.invoiceId!);
    }
    if (invoiceIds.length === 0) return;
    const inv = context.table(perInvoice);
    await tx.query(
      `INSERT INTO ${context.table(balances)} AS b
         (tenant_id, currency, invoiced_minor, paid_minor, credited_minor, written_off_minor, receivable_minor,
          open_invoices, oldest_due_on)
       SELECT t.tenant_id, a.*
         FROM (SELECT DISTINCT tenant_id FROM ${inv} WHERE invoice_id = ANY($1::text[])) AS t
        -- Tenant by tenant through its index: a join over the whole table would read every
        -- invoice of every tenant on each batch of a rebuild, which grows with the log.
        CROSS JOIN LATERAL (
          SELECT min(i.currency),
                 coalesce(sum(i.total_minor) FILTER (WHERE i.issued), 0),
                 coalesce(sum(i.paid_minor), 0), coalesce(sum(i.credited_minor), 0),
                 coalesce(sum(i.written_off_minor), 0),
                 coalesce(sum(i.amount_due_minor) FILTER (WHERE i.issued), 0),
                 count(*) FILTER (WHERE i.issued AND i.amount_due_minor > 0),
                 min(i.due_on) FILTER (WHERE i.issued AND i.amount_due_minor > 0)
            FROM ${inv} AS i WHERE i.tenant_id = t.tenant_id) AS a
       ON CONFLICT (tenant_id) DO UPDATE SET
         invoiced_minor = EXCLUDED.invoiced_minor, paid_minor = EXCLUDED.paid_minor,
         credited_minor = EXCLUDED.credited_minor, written_off_minor = EXCLUDED.written_off_minor,
         receivable_minor = EXCLUDED.receivable_minor, open_invoices = EXCLUDED.open_invoices,
         oldest_due_on = EXCLUDED.oldest_due_on`,
      [invoiceIds],
    );
  },
};
