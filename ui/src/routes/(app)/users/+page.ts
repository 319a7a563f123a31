import type { PageLoad } from './$types';
import { load as get, withQuery } from '$lib/api/client.ts';
import type { Page, User } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const role = url.searchParams.get('role') ?? '';
  const page = await get<Page<User>>(
    fetch,
    withQuery('/api/v1/users', { role, cursor: url.searchParams.get('cursor'), limit: 50 }),
    url.pathname + url.search,
  );
  return { page, role };
}) satisfies PageLoad;
