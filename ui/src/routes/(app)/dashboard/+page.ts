import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { DashboardMetrics } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const metrics = await get<DashboardMetrics>(fetch, '/api/v1/metrics/dashboard', url.pathname);
  return { metrics };
}) satisfies PageLoad;
