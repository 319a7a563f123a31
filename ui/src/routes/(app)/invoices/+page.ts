import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { InvoiceRow, Page } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams;
  const filters = {
    status: q.get('status') ?? '',
    tenantId: q.get('tenantId') ?? '',
    search: q.get('search') ?? '',
    issuedFrom: q.get('issuedFrom') ?? '',
    issuedTo: q.get('issuedTo') ?? '',
    open: q.get('open') ?? '',
  };
  const page = await get<Page<InvoiceRow>>(
    fetch,
    withQuery('/api/v1/invoices', { ...filters, cursor: q.get('cursor'), limit: 50 }),
    url.pathname + url.search,
  );
  return { page, filters };
}) satisfies PageLoad;
