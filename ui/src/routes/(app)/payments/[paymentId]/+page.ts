import type { PageLoad } from './$types';
import { load as get } from '$lib/api/client.ts';
import type { Payment } from '$lib/api/types.ts';

export const load = (async ({ fetch, params, url }) => {
  const payment = await get<Payment>(
    fetch,
    `/api/v1/payments/${encodeURIComponent(params.paymentId)}`,
    url.pathname,
  );
  return { payment };
}) satisfies PageLoad;
