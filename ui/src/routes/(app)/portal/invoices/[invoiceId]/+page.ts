import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Invoice } from '$lib/api/types.ts';

/** Any invoice id may be typed in the URL; the API answers only the caller's own tenant's. */
export const load = (async ({ fetch, params, url }) => {
  const invoice = await get<Invoice>(
    fetch,
    `/api/v1/invoices/${encodeURIComponent(params.invoiceId)}`,
    url.pathname,
  );
  return { invoice, paying: url.searchParams.has('paying') };
}) satisfies PageLoad;
