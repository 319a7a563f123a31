import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Invoice } from '$lib/api/types.ts';

export const load = (async ({ fetch, params, url }) => {
  const invoice = await get<Invoice>(
    fetch,
    `/api/v1/invoices/${encodeURIComponent(params.invoiceId)}`,
    url.pathname,
  );
  return { invoice };
}) satisfies PageLoad;
