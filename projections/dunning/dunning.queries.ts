import { type Kysely, sql } from 'kysely';
import { type PromiseStatus, promiseStatus } from '../../domain/dunning/promise-status.ts';
import type { InvoicesTables } from '../invoices/invoices.table.ts';
import type { DunningReminderRow, DunningTables, PaymentPromiseRow } from './dunning.table.ts';

/**
 * Dunning per tenant for the overdue page: the invoices it is late on (each with its promise, if
 * any), its latest promise with whether it was kept, and its latest reminder. Read for a page of
 * tenants at once, each part bounded.
 */

/** A named limit: the overdue invoices listed per tenant, oldest due first. */
export const overdueInvoicesListedMax = 10;
/** A named limit on the tenants asked about in one call (a page of the overdue list). */
export const dunningTenantsMax = 200;

export interface PromiseView {
  readonly invoiceId: string;
  readonly currency: string;
  readonly promisedOn: string;
  readonly amountMinor: string;
  readonly paidSinceMinor: string;
  readonly amountDueMinor: string;
  readonly note: string | null;
  readonly recordedOn: string;
  readonly recordedBy: { readonly kind: string; readonly id: string };
  readonly status: PromiseStatus;
}

export interface ReminderView {
  readonly invoiceId: string;
  readonly trigger: DunningReminderRow['trigger'];
  readonly channel: DunningReminderRow['channel'];
  readonly sentOn: string;
  readonly sentBy: { readonly kind: string; readonly id: string } | null;
}

export interface OverdueInvoiceView {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly currency: string;
  readonly dueOn: string;
  readonly amountDueMinor: string;
  readonly promise: PromiseView | null;
}

export interface TenantDunning {
  readonly overdueInvoices: readonly OverdueInvoiceView[];
  /** The latest promise recorded on any of the tenant's invoices. */
  readonly promise: PromiseView | null;
  readonly lastReminder: ReminderView | null;
}

type PromiseRow = Omit<PaymentPromiseRow, 'recorded_at' | 'amount_due_when_promised_minor'>;

function promiseView(row: PromiseRow, today: string): PromiseView {
  return {
    invoiceId: row.invoice_id,
    currency: row.currency,
    promisedOn: row.promised_on,
    amountMinor: row.amount_minor,
    paidSinceMinor: row.paid_since_minor,
    amountDueMinor: row.amount_due_minor,
    note: row.note,
    recordedOn: row.recorded_on,
    recordedBy: { kind: row.recorded_by_kind, id: row.recorded_by_id },
    status: promiseStatus(
      {
        promisedOn: row.promised_on,
        amountMinor: BigInt(row.amount_minor),
        paidSinceMinor: BigInt(row.paid_since_minor),
        amountDueMinor: BigInt(row.amount_due_minor),
        writtenOff: row.written_off,
      },
      today,
    ),
  };
}

/**
 * Dunning of each tenant given, as of `today` (a calendar date: an invoice is overdue once its due
 * date is before it, a promise broken once its day is). Tenants with nothing to show get empty
 * entries.
 */
export async function dunningOfTenants(
  db: Kysely<DunningTables & InvoicesTables>,
  tenantIds: readonly string[],
  today: string,
): Promise<Map<string, TenantDunning>> {
  if (tenantIds.length > dunningTenantsMax) {
    throw new RangeError(`at most ${dunningTenantsMax} tenants per call, got ${tenantIds.length}`);
  }
  const result = new Map<string, TenantDunning>();
  if (tenantIds.length === 0) return result;
  const ids = [...tenantIds];
  const [invoices, promises, reminders] = await Promise.all([
    sql<{
      tenant_id: string;
      invoice_id: string;
      number: string | null;
      currency: string;
      due_on: string;
      amount_due_minor: string;
    }>`
      SELECT tenant_id, invoice_id, number, currency, due_on, amount_due_minor FROM (
        SELECT i.tenant_id, i.invoice_id, i.number, i.currency, to_char(i.due_on, 'YYYY-MM-DD') AS due_on,
               i.amount_due_minor::text AS amount_due_minor,
               row_number() OVER (PARTITION BY i.tenant_id ORDER BY i.due_on, i.invoice_id) AS n
          FROM rm_invoices AS i
         WHERE i.tenant_id = ANY(${ids}::text[]) AND i.status IN ('issued', 'partially_paid', 'overdue')
           AND i.amount_due_minor > 0 AND i.due_on < ${today}::date) AS late
       WHERE n <= ${overdueInvoicesListedMax} ORDER BY tenant_id, n`.execute(db),
    // One row per invoice that ever had a promise; the overdue invoices and the latest are kept.
    sql<PromiseRow>`
      SELECT invoice_id, tenant_id, promise_id, currency, to_char(promised_on, 'YYYY-MM-DD') AS promised_on,
             amount_minor::text AS amount_minor, note, to_char(recorded_on, 'YYYY-MM-DD') AS recorded_on,
             recorded_by_kind, recorded_by_id, paid_since_minor::text AS paid_since_minor,
             amount_due_minor::text AS amount_due_minor, written_off
        FROM rm_payment_promises WHERE tenant_id = ANY(${ids}::text[])
       ORDER BY tenant_id, recorded_at DESC, promise_id DESC`.execute(db),
    sql<
      Pick<
        DunningReminderRow,
        'tenant_id' | 'invoice_id' | 'trigger' | 'channel' | 'sent_on' | 'sent_by_kind' | 'sent_by_id'
      >
    >`
      SELECT DISTINCT ON (tenant_id) tenant_id, invoice_id, trigger, channel,
             to_char(sent_on, 'YYYY-MM-DD') AS sent_on, sent_by_kind, sent_by_id
        FROM rm_dunning_reminders WHERE tenant_id = ANY(${ids}::text[])
       ORDER BY tenant_id, sent_at DESC, reminder_id DESC`.execute(db),
  ]);
  const promiseByInvoice = new Map<string, PromiseView>();
  const latestPromise = new Map<string, PromiseView>();
  for (const row of promises.rows) {
    const view = promiseView(row, today);
    promiseByInvoice.set(row.invoice_id, view);
    // Rows come newest first per tenant: the first one seen is the latest.
    if (!latestPromise.has(row.tenant_id)) latestPromise.set(row.tenant_id, view);
  }
  const lastReminder = new Map<string, ReminderView>();
  for (const r of reminders.rows) {
    lastReminder.set(r.tenant_id, {
      invoiceId: r.invoice_id,
      trigger: r.trigger,
      channel: r.channel,
      sentOn: r.sent_on,
      sentBy:
        r.sent_by_kind === null || r.sent_by_id === null ? null : { kind: r.sent_by_kind, id: r.sent_by_id },
    });
  }
  const overdue = new Map<string, OverdueInvoiceView[]>();
  for (const i of invoices.rows) {
    const list = overdue.get(i.tenant_id) ?? [];
    list.push({
      invoiceId: i.invoice_id,
      number: i.number,
      currency: i.currency,
      dueOn: i.due_on,
      amountDueMinor: i.amount_due_minor,
      promise: promiseByInvoice.get(i.invoice_id) ?? null,
    });
    overdue.set(i.tenant_id, list);
  }
  for (const tenantId of ids) {
    result.set(tenantId, {
      overdueInvoices: overdue.get(tenantId) ?? [],
      promise: latestPromise.get(tenantId) ?? null,
      lastReminder: lastReminder.get(tenantId) ?? null,
    });
  }
  return result;
}

/** The tenant's invoices that are overdue on `today`, oldest due first, for a reminder to each. */
export async function overdueInvoiceIds(
  db: Kysely<InvoicesTables>,
  tenantId: string,
  today: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ invoice_id: string }>`
    SELECT invoice_id FROM rm_invoices
     WHERE tenant_id = ${tenantId} AND status IN ('issued', 'partially_paid', 'overdue')
       AND amount_due_minor > 0 AND due_on < ${today}::date
     ORDER BY due_on, invoice_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.invoice_id);
}
