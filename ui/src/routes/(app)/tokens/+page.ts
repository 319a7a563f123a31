import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { ApiToken } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const list = await get<{ items: ApiToken[] }>(fetch, '/api/v1/tokens', url.pathname);
  return { tokens: list.items };
}) satisfies PageLoad;
