import type { PaymentFlowDependencies } from '../app/payments/flow.ts';
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

export function paymentFlowDependencies(
  ledger: Ledger,
  options: PaymentFlowOptions,
): PaymentFlowDependencies {
  const config = ledger.config;
  const publicBase =
    config.PAYMENTS_PUBLIC_BASE_URL ?? config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  return {
    store: ledger.store,
    providers: enabledPaymentProviders(config, { fetch: options.fetch ?? fetch, now: options.now }),
    // The flow appends `/webhooks/payments/<provider>/<paymentId>`; the API serves that path.
    publicBaseUrl: publicBase,
    openInvoiceIds: (tenantId) => openInvoiceIds(ledger, tenantId),
    calendarDate: (tenantId, instant) => tenantCalendarDate(ledger, tenantId, instant),
    securityLog: (entry) => ledger.logger.warn(entry, 'payment notification rejected'),
    now: options.now,
  };
}
