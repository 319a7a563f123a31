import type { PageLoad } from './$types';
import { load as get, optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { Page, Plan, Subscription } from '$lib/api/types.ts';
import { session } from '$lib/session.svelte.ts';

export const load = (async ({ fetch, url, parent }) => {
  // On a reload the layouts are still asking the API who is signed in: the tenant comes from there.
  await parent();
  const tenantId = session.user?.tenantId ?? '';
  try {
    const [subscriptions, plans] = await Promise.all([
      optional<Page<Subscription>>(fetch, withQuery('/api/v1/subscriptions', { tenantId, limit: 5 })),
      get<Page<Plan>>(fetch, withQuery('/api/v1/plans', { status: 'published', limit: 100 }), url.pathname),
    ]);
    return {
      subscription:
        subscriptions?.items.find((s) => ['trialing', 'active', 'past_due'].includes(s.status)) ?? null,
      plans: plans.items,
    };
  } catch (e) {
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
