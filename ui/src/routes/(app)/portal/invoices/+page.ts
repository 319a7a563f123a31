import type { PageLoad } from './$types';
import { ApiError, api, toKitError, withQuery } from '$lib/api/client.ts';
import type { InvoiceRow, Page } from '$lib/api/types.ts';
import { session } from '$lib/session.svelte.ts';

export const load = (async ({ fetch, url, parent }) => {
  // On a reload the layouts are still asking the API who is signed in: the tenant comes from there.
  await parent();
  const tenantId = session.user?.tenantId ?? '';
  try {
    const page = await api<Page<InvoiceRow>>(
      withQuery('/api/v1/invoices', { tenantId, cursor: url.searchParams.get('cursor'), limit: 50 }),
      { fetch },
    );
    return { page };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { page: null };
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
