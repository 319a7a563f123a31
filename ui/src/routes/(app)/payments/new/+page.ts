import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, Tenant } from '$lib/api/types.ts';

/** The organisations to choose from (the first 200; search narrows the list on the API side). */
export const load = (async ({ fetch, url }) => {
  const tenants = await get<Page<Tenant>>(
    fetch,
    withQuery('/api/v1/tenants', { status: 'active', limit: 200 }),
    url.pathname,
  );
  return {
    tenants: tenants.items,
    tenantId: url.searchParams.get('tenantId') ?? '',
    invoiceId: url.searchParams.get('invoiceId') ?? '',
  };
}) satisfies PageLoad;
