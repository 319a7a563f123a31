import type { PageLoad } from './$types';
import { ApiError, api, toKitError, withQuery } from '$lib/api/client.ts';
import type { Page, Payment } from '$lib/api/types.ts';

/** The payment list is optional: until the API lists payments, the page offers lookup by id. */
export const load = (async ({ fetch, url }) => {
  try {
    const page = await api<Page<Payment>>(
      withQuery('/api/v1/payments', {
        status: url.searchParams.get('status'),
        cursor: url.searchParams.get('cursor'),
        limit: 50,
      }),
      { fetch },
    );
    return { page };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { page: null };
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
