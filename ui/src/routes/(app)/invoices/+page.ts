import type { PageLoad } from './$types';
import { ApiError, api, toKitError, withQuery } from '$lib/api/client.ts';
import type { Invoice, Page } from '$lib/api/types.ts';

/** The invoice list is optional: until the API lists invoices, the page offers lookup by id. */
export const load = (async ({ fetch, url }) => {
  const q = url.searchParams;
  const filters = {
    status: q.get('status') ?? '',
    tenantId: q.get('tenantId') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
  };
  try {
    const page = await api<Page<Invoice>>(
      withQuery('/api/v1/invoices', { ...filters, cursor: q.get('cursor'), limit: 50 }),
      { fetch },
    );
    return { page, filters };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { page: null, filters };
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
