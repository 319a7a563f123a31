import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, Plan } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const status = url.searchParams.get('status') ?? '';
  const page = await get<Page<Plan>>(
    fetch,
    withQuery('/api/v1/plans', { status, cursor: url.searchParams.get('cursor'), limit: 50 }),
    url.pathname + url.search,
  );
  return { page, status };
}) satisfies PageLoad;
