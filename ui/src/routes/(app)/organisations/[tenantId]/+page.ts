import type { PageLoad } from './$types';
import { api, load as get, withQuery } from '$lib/api/client.ts';
import type { InvoiceRow, Page, Plan, Subscription, Tenant } from '$lib/api/types.ts';

/**
 * The tenant itself is required; its subscriptions and invoices come from routes that may not be
 * published yet, so each of those is optional and the page shows what it can.
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
  const [tenant, subscriptions, invoices, plans] = await Promise.all([
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
  ]);
  return { tenant, subscriptions, invoices, plans: plans?.items ?? [] };
}) satisfies PageLoad;
