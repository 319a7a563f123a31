import type { PageLoad } from './$types';
import { optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { OverdueRisk, Page } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const band = url.searchParams.get('band') ?? '';
  try {
    // Highest scores first, as the API sorts them; the band filter narrows the page shown.
    const page = await optional<Page<OverdueRisk>>(
      fetch,
      withQuery('/api/v1/overdue-risk', { cursor: url.searchParams.get('cursor'), limit: 200 }),
    );
    return { page, band };
  } catch (e) {
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
