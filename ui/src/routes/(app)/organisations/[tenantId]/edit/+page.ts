import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Tenant } from '$lib/api/types.ts';

export const load = (async ({ fetch, params, url }) => {
  const tenant = await get<Tenant>(
    fetch,
    `/api/v1/tenants/${encodeURIComponent(params.tenantId)}`,
    url.pathname,
  );
  return { tenant };
}) satisfies PageLoad;
