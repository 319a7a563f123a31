import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, Plan, Subscription } from '$lib/api/types.ts';

export const load = (async ({ fetch, params, url }) => {
  const [subscription, plans] = await Promise.all([
    get<Subscription>(
      fetch,
      `/api/v1/subscriptions/${encodeURIComponent(params.subscriptionId)}`,
      url.pathname,
    ),
    get<Page<Plan>>(fetch, withQuery('/api/v1/plans', { status: 'published', limit: 100 }), url.pathname),
  ]);
  return { subscription, plans: plans.items };
}) satisfies PageLoad;
