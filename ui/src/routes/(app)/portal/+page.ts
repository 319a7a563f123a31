import type { PageLoad } from './$types';
import { ApiError, api, load as get, withQuery } from '$lib/api/client.ts';
import type { InvoiceRow, Page, Subscription, Tenant } from '$lib/api/types.ts';
import { session } from '$lib/session.svelte.ts';

async function optional<T>(path: string, fetcher: typeof fetch): Promise<T | null> {
  try {
    return await api<T>(path, { fetch: fetcher });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

/** The tenant admin's own organisation: the session says which; the API enforces it. */
export const load = (async ({ fetch, url, parent }) => {
  // On a reload the layouts are still asking the API who is signed in: the tenant comes from there.
  await parent();
  const tenantId = session.user?.tenantId ?? null;
  if (tenantId === null) return { tenant: null, invoices: null, subscriptions: null };
  const [tenant, invoices, subscriptions] = await Promise.all([
    get<Tenant>(fetch, `/api/v1/tenants/${encodeURIComponent(tenantId)}`, url.pathname),
    optional<Page<InvoiceRow>>(withQuery('/api/v1/invoices', { tenantId, limit: 20 }), fetch),
    optional<Page<Subscription>>(withQuery('/api/v1/subscriptions', { tenantId, limit: 5 }), fetch),
  ]);
  return { tenant, invoices, subscriptions };
}) satisfies PageLoad;
