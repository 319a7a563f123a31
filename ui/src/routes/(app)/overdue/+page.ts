import type { PageLoad } from './$types';
import { optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { OverdueTenant, Page } from '$lib/api/types.ts';

export const load = (async ({ fetch, url }) => {
  const band = url.searchParams.get('band') ?? '';
  try {
    const page = await optional<Page<OverdueTenant>>(
      fetch,
      withQuery('/api/v1/overdue', { band, cursor: url.searchParams.get('cursor'), limit: 50 }),
    );
    return { page, band };
  } catch (e) {
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
