import type { PageLoad } from './$types';
import { optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { Page, Subscription } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams;
  const filters = { status: q.get('status') ?? '', planCode: q.get('planCode') ?? '' };
  try {
    const page = await optional<Page<Subscription>>(
      fetch,
      withQuery('/api/v1/subscriptions', { ...filters, cursor: q.get('cursor'), limit: 50 }),
    );
    return { page, filters };
  } catch (e) {
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
