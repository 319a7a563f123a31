import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Tenant } from '$lib/api/types.ts';
import { session } from '$lib/session.svelte.ts';

export const load = (async ({ fetch, url, parent }) => {
  // On a reload the layouts are still asking the API who is signed in: the tenant comes from there.
  await parent();
  const tenantId = session.user?.tenantId ?? '';
  const tenant = await get<Tenant>(fetch, `/api/v1/tenants/${encodeURIComponent(tenantId)}`, url.pathname);
  return { tenant };
}) satisfies PageLoad;
