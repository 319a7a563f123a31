import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, Tenant } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams;
  const filters = {
    search: q.get('search') ?? '',
    status: q.get('status') ?? '',
    country: q.get('country') ?? '',
  };
  const page = await get<Page<Tenant>>(
    fetch,
    withQuery('/api/v1/tenants', { ...filters, cursor: q.get('cursor'), limit: 25 }),
    url.pathname + url.search,
  );
  return { page, filters };
}) satisfies PageLoad;
