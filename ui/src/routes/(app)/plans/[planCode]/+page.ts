import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Plan } from '$lib/api/types.ts';

export const load = (async ({ fetch, params, url }) => {
  const plan = await get<Plan>(fetch, `/api/v1/plans/${encodeURIComponent(params.planCode)}`, url.pathname);
  return { plan };
}) satisfies PageLoad;
