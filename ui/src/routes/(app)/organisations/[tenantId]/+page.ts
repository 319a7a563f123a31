import type { PageLoad } from './$types';
import { api, load as get, withQuery } from '$lib/api/client.ts';
import type {
  AuditTrailEntry,
  CustomerBalance,
  InvoiceRow,
  OverdueRisk,
  Page,
  PaymentRow,
  Plan,
  Subscription,
  Tenant,
} from '$lib/api/types.ts';

/** How many of the tenant's events the history shows. */
const historyLength = 50;

/**
 * The tenant itself is required; its subscriptions, invoices, payments, balance, risk and history
 * come from routes a role may not reach (or that have nothing yet: no risk without an overdue
 * invoice), so each of those is optional and the page shows what it can.
 */
async function optional<T>(path: string, fetcher: typeof fetch): Promise<T | null> {
  try {
    return await api<T>(path, { fetch: fetcher });
  } catch {
    return null;
  }
}

export const load = (async ({ fetch, params, url }) => {
  const id = encodeURIComponent(params.tenantId);
  const [tenant, subscriptions, invoices, plans, payments, balance, risk, history] = await Promise.all([
    get<Tenant>(fetch, `/api/v1/tenants/${id}`, url.pathname),
    optional<Page<Subscription>>(
      withQuery('/api/v1/subscriptions', { tenantId: params.tenantId, limit: 10 }),
      fetch,
    ),
    optional<Page<InvoiceRow>>(
      withQuery('/api/v1/invoices', { tenantId: params.tenantId, limit: 10 }),
      fetch,
    ),
    optional<Page<Plan>>(withQuery('/api/v1/plans', { status: 'published', limit: 100 }), fetch),
    optional<Page<PaymentRow>>(
      withQuery('/api/v1/payments', { tenantId: params.tenantId, limit: 10 }),
      fetch,
    ),
    optional<CustomerBalance>(`/api/v1/tenants/${id}/balance`, fetch),
    optional<OverdueRisk>(`/api/v1/overdue-risk/${id}`, fetch),
    optional<Page<AuditTrailEntry>>(
      withQuery('/api/v1/audit-trail', { tenantId: params.tenantId, limit: historyLength }),
      fetch,
    ),
  ]);
  return {
    tenant,
    subscriptions,
    invoices,
    plans: plans?.items ?? [],
    payments,
    balance,
    risk,
    history,
    historyLength,
  };
}) satisfies PageLoad;
