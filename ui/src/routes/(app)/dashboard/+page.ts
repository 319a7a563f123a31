import type { PageLoad } from './$types';
import { load as get, optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { InvoiceRow, MrrFigure, OverdueRisk, Page } from '$lib/api/types.ts';

/**
 * The dashboard in one round of parallel calls: MRR/ARR and paying tenants today (in the billing
 * currency the dashboard shows, XOF unless `?currency=`), the last 30 days' movements for revenue
 * churn, the highest overdue risks, and the latest invoices as recent activity.
 */
export const load = (async ({ fetch, url }) => {
  const currency = url.searchParams.get('currency') ?? 'XOF';
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  try {
    const [mrr, mrrBefore, movements, risks, invoices] = await Promise.all([
      get<MrrFigure>(fetch, withQuery('/api/v1/metrics/mrr', { currency, asOf: today }), url.pathname),
      get<MrrFigure>(fetch, withQuery('/api/v1/metrics/mrr', { currency, asOf: monthAgo }), url.pathname),
      get<{ byKind: Record<string, string>; netNewMrrMinor: string }>(
        fetch,
        withQuery('/api/v1/metrics/mrr/movements', { currency, from: monthAgo, to: today }),
        url.pathname,
      ),
      optional<Page<OverdueRisk>>(fetch, withQuery('/api/v1/overdue-risk', { limit: 200 })),
      optional<Page<InvoiceRow>>(fetch, withQuery('/api/v1/invoices', { limit: 8 })),
    ]);
    return { currency, mrr, mrrBefore, movements, risks, invoices };
  } catch (e) {
    throw toKitError(e, url.pathname);
  }
}) satisfies PageLoad;
