import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, PaymentRow } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams;
  const filters = {
    status: q.get('status') ?? '',
    provider: q.get('provider') ?? '',
    reference: q.get('reference') ?? '',
    tenantId: q.get('tenantId') ?? '',
  };
  const page = await get<Page<PaymentRow>>(
    fetch,
    withQuery('/api/v1/payments', { ...filters, cursor: q.get('cursor'), limit: 50 }),
    url.pathname + url.search,
  );
  return { page, filters };
}) satisfies PageLoad;
