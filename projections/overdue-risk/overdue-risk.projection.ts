import type { InvoiceEvent } from '../../domain/invoice/invoice.ts';
import type { PaymentEvent } from '../../domain/payment/payment.ts';
import { type OverdueRisk, scoreOverdueRisk } from '../../domain/risk/index.ts';
import type { TenantEvent } from '../../domain/tenant/tenant.ts';
import type { SqlClient } from '../../eventstore/sql.ts';
import { patch, type Projection, type RowOp, upsert } from '../runtime/projection.ts';
import { ident, RowWriter } from '../runtime/row-writer.ts';

const invoices = 'rm_risk_invoices';
const tenants = 'rm_risk_tenants';
const failures = 'rm_risk_payment_failures';
const scores = 'rm_overdue_risk';
const reminders = 'rm_risk_reminders';

/**
 * `ReminderSent` (domain/dunning): the fields the score needs. The schedule sends one per stage;
 * an operator may send any number (at most one a day), without a stage.
 */
interface ReminderSent {
  readonly type: 'ReminderSent';
  readonly data: {
    readonly invoiceId: string;
    readonly tenantId: string;
    readonly trigger: 'schedule' | 'operator';
    readonly stage: number | null;
    readonly sentOn: string;
  };
}

const tables = [
  { name: invoices, key: ['invoice_id'], lookups: [['tenant_id']] },
  { name: tenants, key: ['tenant_id'] },
  { name: failures, key: ['payment_id'], lookups: [['tenant_id']] },
  { name: scores, key: ['tenant_id'] },
  { name: reminders, key: ['invoice_id', 'reminder_key'], lookups: [['tenant_id']] },
] as const;

/** How far back settled invoices count for the late-payment history. */
export const settledLookbackDays = 365;
/** Tenants scored per statement (the daily job pages through them). */
export const tenantsPerScoringMax = 1000;

type Handled = InvoiceEvent | PaymentEvent | TenantEvent | ReminderSent;

const dateOf = (instant: string) => instant.slice(0, 10);

/** The facts a score needs, per tenant, read in one statement from the projection's own tables. */
interface Facts {
  tenant_id: string;
  currency: string;
  amount_due: string;
  oldest_due_on: string | null;
  oldest_open_issued_on: string | null;
  recent_totals: string[] | null;
  settled: string;
  paid_late: string;
  failed: string;
  reminders: string;
  customer_since: string | null;
  first_issued_on: string | null;
}

async function readFacts(
  tx: SqlClient,
  table: (name: string) => string,
  tenantIds: readonly string[],
  asOf: ReadonlyMap<string, string>,
): Promise<Facts[]> {
  const { rows } = await tx.query<Facts>(
    `WITH t AS (SELECT * FROM unnest($1::text[], $2::date[]) AS t(tenant_id, as_of)),
     inv AS (
       SELECT i.tenant_id, min(i.currency) AS currency,
              coalesce(sum(i.amount_due_minor) FILTER (WHERE i.state IN ('issued', 'overdue')), 0)::text AS amount_due,
              to_char(min(i.due_on) FILTER (WHERE i.state IN ('issued', 'overdue') AND i.amount_due_minor > 0), 'YYYY-MM-DD') AS oldest_due_on,
              min(i.issued_on) FILTER (WHERE i.state IN ('issued', 'overdue') AND i.amount_due_minor > 0) AS oldest_open_issued,
              to_char(min(i.issued_on), 'YYYY-MM-DD') AS first_issued_on,
              (array_agg(i.total_minor::text ORDER BY i.issued_on DESC, i.invoice_id DESC)
                 FILTER (WHERE i.total_minor IS NOT NULL))[1:12] AS recent_totals,
              count(*) FILTER (WHERE i.paid_on IS NOT NULL AND i.paid_on > t.as_of - ${settledLookbackDays})::text AS settled,
              count(*) FILTER (WHERE i.paid_on IS NOT NULL AND i.paid_on > t.as_of - ${settledLookbackDays}
                                 AND i.paid_on > i.due_on)::text AS paid_late
         FROM ${table(invoices)} i JOIN t ON t.tenant_id = i.tenant_id
        GROUP BY i.tenant_id)
     SELECT inv.tenant_id, inv.currency, inv.amount_due, inv.oldest_due_on,
            to_char(inv.oldest_open_issued, 'YYYY-MM-DD') AS oldest_open_issued_on, inv.recent_totals,
            inv.settled, inv.paid_late, inv.first_issued_on,
            (SELECT count(*) FROM ${table(failures)} f
              WHERE f.tenant_id = inv.tenant_id AND f.failed_on >= inv.oldest_open_issued)::text AS failed,
            (SELECT count(*) FROM ${table(reminders)} m JOIN ${table(invoices)} o ON o.invoice_id = m.invoice_id
              WHERE m.tenant_id = inv.tenant_id AND o.state IN ('issued', 'overdue') AND o.amount_due_minor > 0)::text AS reminders,
            (SELECT to_char(customer_since, 'YYYY-MM-DD') FROM ${table(tenants)} r WHERE r.tenant_id = inv.tenant_id) AS customer_since
       FROM inv`,
    [[...tenantIds], tenantIds.map((id) => asOf.get(id)!)],
  );
  return rows;
}

/** Scores from facts; a tenant with nothing due gets score 0, band low, and no factors. */
function score(facts: Facts, asOf: string): OverdueRisk & { amountDue: string; currency: string } {
  const risk =
    facts.oldest_due_on === null
      ? null
      : scoreOverdueRisk({
          tenantId: facts.tenant_id,
          asOf,
          currency: facts.currency,
          amountDueMinor: facts.amount_due,
          oldestUnpaidDueOn: facts.oldest_due_on,
          recentInvoiceTotalsMinor: facts.recent_totals ?? [],
          settledInvoices: { count: Number(facts.settled), paidLateCount: Number(facts.paid_late) },
          failedPaymentAttempts: Number(facts.failed),
          remindersSent: Number(facts.reminders),
          customerSince: facts.customer_since ?? facts.first_issued_on ?? asOf,
          usage: null,
        });
  return {
    ...(risk ?? { tenantId: facts.tenant_id, asOf, modelVersion: 0, score: 0, band: 'low', factors: [] }),
    amountDue: facts.amount_due,
    currency: facts.currency,
  };
}

function scoreRow(risk: ReturnType<typeof score>, position: string) {
  return {
    tenant_id: risk.tenantId,
    as_of: risk.asOf,
    currency: risk.currency,
    amount_due_minor: risk.amountDue,
    score: risk.score,
    band: risk.band,
    model_version: risk.modelVersion,
    factors: risk.factors as unknown as Record<string, unknown>[],
    position,
  };
}

/**
 * Overdue risk per tenant, recomputed for every tenant a batch touches, on the date of the
 * tenant's last event in the batch (so the rows do not depend on batch sizes and a rebuild gives
 * the same ones). The daily job (`scoreOverdueRiskDaily`) moves the date forward as days pass.
 */
export const overdueRiskProjection: Projection = {
  name: 'overdue-risk',
  version: 1,
  tables,
  eventTypes: [
    'TenantRegistered',
    'InvoiceDrafted',
    'InvoiceIssued',
    'InvoicePaymentApplied',
    'InvoiceCustomerCreditApplied',
    'CreditNoteIssued',
    'InvoicePaid',
    'InvoiceMarkedOverdue',
    'InvoiceWrittenOff',
    'InvoiceVoided',
    'PaymentFailed',
    'ReminderSent',
  ],
  evolve(recorded): RowOp[] {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    switch (event.type) {
      case 'TenantRegistered':
        return [
          upsert(tenants, {
            tenant_id: event.data.tenantId,
            customer_since: dateOf(event.data.registeredAt),
          }),
        ];
      case 'InvoiceDrafted':
        return [
          upsert(invoices, {
            invoice_id: event.data.invoiceId,
            tenant_id: event.data.tenantId,
            currency: event.data.currency,
            state: 'draft',
          }),
        ];
      case 'InvoiceIssued':
        return [
          patch(
            invoices,
            { invoice_id: event.data.invoiceId },
            {
              set: {
                state: 'issued',
                total_minor: event.data.total.amountMinor,
                amount_due_minor: event.data.total.amountMinor,
                issued_on: event.data.issuedOn,
                due_on: event.data.dueOn,
              },
            },
          ),
        ];
      case 'InvoicePaymentApplied':
      case 'InvoiceCustomerCreditApplied':
      case 'CreditNoteIssued':
        return [
          patch(
            invoices,
            { invoice_id: event.data.invoiceId },
            { set: { amount_due_minor: event.data.amountDueAfter.amountMinor } },
          ),
        ];
      case 'InvoicePaid':
        return [
          patch(
            invoices,
            { invoice_id: event.data.invoiceId },
            { set: { state: 'paid', paid_on: event.data.paidOn } },
          ),
        ];
      case 'InvoiceMarkedOverdue':
        return [patch(invoices, { invoice_id: event.data.invoiceId }, { set: { state: 'overdue' } })];
      case 'InvoiceWrittenOff':
        return [
          patch(
            invoices,
            { invoice_id: event.data.invoiceId },
            { set: { state: 'written_off', amount_due_minor: '0' } },
          ),
        ];
      case 'InvoiceVoided':
        return [patch(invoices, { invoice_id: event.data.invoiceId }, { set: { state: 'voided' } })];
      case 'PaymentFailed':
        return [
          upsert(failures, {
            payment_id: event.data.paymentId,
            tenant_id: event.data.tenantId,
            failed_on: dateOf(event.data.failedAt),
          }),
        ];
      case 'ReminderSent':
        return [
          upsert(reminders, {
            invoice_id: event.data.invoiceId,
            // Every reminder counts once: a scheduled stage by its number (a replay of the same
            // stage lands on the same row), an operator's by its event.
            reminder_key:
              event.data.trigger === 'schedule' ? `stage:${event.data.stage}` : `operator:${recorded.id}`,
            stage: event.data.stage,
            tenant_id: event.data.tenantId,
            sent_on: event.data.sentOn,
          }),
        ];
      default:
        return [];
    }
  },
  async afterBatch(tx, context) {
    // The tenant of each event (invoice events name their invoice; its row names the tenant) and
    // the date and position of the tenant's last event in the batch.
    const invoiceIds = context.events.flatMap((e) => {
      const data = e.data as { invoiceId?: string; tenantId?: string };
      return data.tenantId === undefined && data.invoiceId !== undefined ? [data.invoiceId] : [];
    });
    const owners = new Map<string, string>();
    if (invoiceIds.length > 0) {
      const { rows } = await tx.query<{ invoice_id: string; tenant_id: string }>(
        `SELECT invoice_id, tenant_id FROM ${context.table(invoices)} WHERE invoice_id = ANY($1::text[])`,
        [invoiceIds],
      );
      for (const r of rows) owners.set(r.invoice_id, r.tenant_id);
    }
    const asOf = new Map<string, string>();
    const position = new Map<string, string>();
    for (const e of context.events) {
      const data = e.data as { invoiceId?: string; tenantId?: string };
      const tenantId =
        data.tenantId ?? (data.invoiceId === undefined ? undefined : owners.get(data.invoiceId));
      if (tenantId === undefined) continue;
      asOf.set(tenantId, dateOf(e.metadata.occurredAt));
      position.set(tenantId, e.position);
    }
    if (asOf.size === 0) return;
    const facts = await readFacts(tx, context.table, [...asOf.keys()], asOf);
    const writer = new RowWriter(tables);
    for (const f of facts)
      writer.push(upsert(scores, scoreRow(score(f, asOf.get(f.tenant_id)!), position.get(f.tenant_id)!)));
    await writer.flush(tx, context.table);
  },
};

/**
 * The daily job the scheduler calls: rescores every tenant with money due as of `asOf`, into
 * `overdue_risk_daily`. Safe to run twice (same rows) and to run late (it scores the day given).
 */
export async function scoreOverdueRiskDaily(db: SqlClient, asOf: string): Promise<number> {
  const checkpoint = await db.query<{ position: string }>(
    `SELECT position FROM projection_checkpoints WHERE name = 'overdue-risk'`,
  );
  const position = checkpoint.rows[0]?.position ?? '';
  let after = '';
  let scored = 0;
  for (;;) {
    const { rows } = await db.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM rm_risk_invoices
        WHERE state IN ('issued', 'overdue') AND amount_due_minor > 0 AND tenant_id > $1
        ORDER BY tenant_id LIMIT $2`,
      [after, tenantsPerScoringMax],
    );
    if (rows.length === 0) return scored;
    const ids = rows.map((r) => r.tenant_id);
    const facts = await readFacts(db, ident, ids, new Map(ids.map((id) => [id, asOf])));
    const writer = new RowWriter([{ name: 'overdue_risk_daily', key: ['tenant_id', 'as_of'] }]);
    for (const f of facts) writer.push(upsert('overdue_risk_daily', scoreRow(score(f, asOf), position)));
    await writer.flush(db, ident);
    scored += facts.length;
    after = ids.at(-1)!;
  }
}
