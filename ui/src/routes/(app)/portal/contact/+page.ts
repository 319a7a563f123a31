import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Tenant } from '$lib/api/types.ts';
import { session } from '$lib/session.svelte.ts';

export const load = (async ({ fetch, url }) => {
  const tenantId = session.user?.tenantId ?? '';
  const tenant = await get<Tenant>(fetch, `/api/v1/tenants/${encodeURIComponent(tenantId)}`, url.pathname);
  return { tenant };
}) satisfies PageLoad;
