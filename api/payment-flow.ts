import type { CommandContext } from '../app/command-handler.ts';
import { loadInvoiceState } from '../app/billing/invoicing.ts';
import {
  loadSubscription,
  reinstateSubscription,
  subscriptionOfInvoice,
} from '../app/billing/subscriptions.ts';
import type { FinishedAllocation, PaymentFlowDependencies } from '../app/payments/flow.ts';
import { isIssued } from '../domain/invoice/index.ts';
import type { Fetch } from '../app/payments/port.ts';
import { enabledPaymentProviders } from '../app/payments/providers.ts';
import type { Ledger } from '../app/runtime.ts';
import { fold } from '../domain/shared/decider.ts';
import { type TenantEvent, tenantDecider, tenantDefaults } from '../domain/tenant/index.ts';
import { sql } from 'kysely';
import { readStreamEvents } from './streams.ts';

/**
 * What the payment flow (`app/payments/flow.ts`) needs from the process, built once per app: the
 * providers the configuration enables, the public address providers call back, the tenant's
 * local calendar date, and a security log on the API's logger.
 */
export interface PaymentFlowOptions {
  readonly fetch?: Fetch;
  readonly now: () => Date;
}

/**
 * The tenant's calendar date for an instant, in the tenant's time zone as its stream says: legal
 * dates (received on, applied on) must not shift with the server's zone.
 */
export async function tenantCalendarDate(ledger: Ledger, tenantId: string, instant: Date): Promise<string> {
  const events = await readStreamEvents(ledger, `tenant-${tenantId}`);
  const state = fold(
    tenantDecider,
    events.map((e) => ({ type: e.type, data: e.data }) as TenantEvent),
  );
  const timeZone = state.status === 'unregistered' ? tenantDefaults.timeZone : state.details.timeZone;
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/**
 * A payment allocated oldest first looks at no more than this many of the tenant's open invoices;
 * each one is re-read from its stream before use, so the bound keeps one payment's cost bounded.
 */
export const openInvoicesListedMax = 500;

/**
 * The tenant's open invoices from the invoices read model, oldest first (issue date, then number):
 * issued, partly paid or overdue, with money still due. The flow re-reads each from its stream, so
 * a lagging read model can only leave an invoice out (the money then becomes credit), never
 * over-allocate one.
 */
export async function openInvoiceIds(ledger: Ledger, tenantId: string): Promise<string[]> {
  const { rows } = await sql<{ invoice_id: string }>`
    SELECT i.invoice_id FROM rm_invoices AS i
     WHERE i.tenant_id = ${tenantId} AND i.amount_due_minor > 0
       AND i.status IN ('issued', 'partially_paid', 'overdue')
     ORDER BY i.issued_on, i.number, i.invoice_id
     LIMIT ${openInvoicesListedMax}`.execute(ledger.db);
  return rows.map((r) => r.invoice_id);
}

/** The most delinquent subscriptions and overdue invoices one reaction looks at for a tenant. */
const reinstatementCandidatesMax = 200;

/**
 * The reaction "a paid past-due or suspended subscription is reactivated", run as soon as a payment
 * is allocated rather than at the next daily job. A subscription is reinstated when none of the
 * invoices it billed is still overdue with money due: the same rule `app/jobs/daily.ts` applies
 * each day, so the two never disagree, and the job remains the backstop for anything missed here.
 *
 * Candidates are the subscriptions of the invoices the payment paid and the tenant's past-due or
 * suspended subscriptions in the read model (credit offered to other invoices may settle those).
 * The read models only nominate: every subscription and invoice is re-read from its stream before
 * deciding. Each reinstatement's key derives from the payment id, so a replayed notification or a
 * retried allocation records nothing twice.
 */
export async function reinstatePaidSubscriptions(
  ledger: Ledger,
  allocation: FinishedAllocation,
  context: CommandContext,
): Promise<string[]> {
  const deps = { store: ledger.store };
  const candidates = new Set<string>();
  for (const invoiceId of allocation.invoiceIds) {
    const subscriptionId = subscriptionOfInvoice(invoiceId);
    if (subscriptionId !== null) candidates.add(subscriptionId);
  }
  const delinquent = await sql<{ subscription_id: string }>`
    SELECT s.subscription_id FROM rm_subscriptions AS s
     WHERE s.tenant_id = ${allocation.tenantId} AND s.status IN ('past_due', 'suspended')
     ORDER BY s.subscription_id LIMIT ${reinstatementCandidatesMax}`.execute(ledger.db);
  for (const row of delinquent.rows) candidates.add(row.subscription_id);
  if (candidates.size === 0) return [];

  const overdueListed = await sql<{ invoice_id: string }>`
    SELECT i.invoice_id FROM rm_invoices AS i
     WHERE i.tenant_id = ${allocation.tenantId} AND i.state = 'overdue' AND i.amount_due_minor > 0
     ORDER BY i.invoice_id LIMIT ${reinstatementCandidatesMax}`.execute(ledger.db);
  const stillOverdue = new Set<string>();
  for (const invoiceId of new Set([
    ...allocation.invoiceIds,
    ...overdueListed.rows.map((r) => r.invoice_id),
  ])) {
    const subscriptionId = subscriptionOfInvoice(invoiceId);
    if (subscriptionId === null || !candidates.has(subscriptionId)) continue;
    const invoice = await loadInvoiceState(deps, invoiceId);
    if (isIssued(invoice) && invoice.status === 'overdue' && invoice.account.amountDue.amountMinor > 0n)
      stillOverdue.add(subscriptionId);
  }

  const reinstated: string[] = [];
  for (const subscriptionId of candidates) {
    if (stillOverdue.has(subscriptionId)) continue;
    const state = await loadSubscription(deps, subscriptionId);
    if (state.status !== 'past_due' && state.status !== 'suspended') continue;
    if (state.tenantId !== allocation.tenantId) continue;
    const outcome = await reinstateSubscription(
      deps,
      { subscriptionId, today: allocation.today },
      { ...context, idempotencyKey: `payment-reinstate:${allocation.paymentId}:${subscriptionId}` },
    );
    // A refusal means another writer (the daily job, a racing delivery) changed it first.
    if (outcome.ok) reinstated.push(subscriptionId);
    else ledger.logger.info({ subscriptionId, code: outcome.refusal.code }, 'reinstatement not needed');
  }
  return reinstated;
}

export function paymentFlowDependencies(
  ledger: Ledger,
  options: PaymentFlowOptions,
): PaymentFlowDependencies {
  const config = ledger.config;
  const publicBase =
    config.PAYMENTS_PUBLIC_BASE_URL ?? config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  return {
    store: ledger.store,
    providers: enabledPaymentProviders(config, {
      fetch: options.fetch ?? fetch,
      now: options.now,
      publicBaseUrl: publicBase,
    }),
    // The flow appends `/webhooks/payments/<provider>/<paymentId>`; the API serves that path.
    publicBaseUrl: publicBase,
    openInvoiceIds: (tenantId) => openInvoiceIds(ledger, tenantId),
    calendarDate: (tenantId, instant) => tenantCalendarDate(ledger, tenantId, instant),
    securityLog: (entry) => ledger.logger.warn(entry, 'payment notification rejected'),
    now: options.now,
    afterAllocation: async (allocation, context) => {
      await reinstatePaidSubscriptions(ledger, allocation, context);
    },
  };
}
