import type { PageLoad } from './$types';
import { optional, toKitError, withQuery } from '$lib/api/client.ts';
import { periodFrom } from '$lib/analytics.ts';

/**
 * Each chart's numbers come from their own metrics route, fetched side by side; a route the API
 * does not offer yet leaves its panel in the unavailable state while the others draw.
 */
export const load = (async ({ fetch, url }) => {
  const today = new Date().toISOString().slice(0, 10);
  const period = periodFrom(url.searchParams, today);
  const q = (path: string) => withQuery(path, { from: period.from, to: period.to });
  try {
    const [mrr, movements, churn, arpu, trials, cohorts] = await Promise.all([
      optional<unknown>(fetch, q('/api/v1/metrics/mrr')),
      optional<unknown>(fetch, q('/api/v1/metrics/movements')),
      optional<unknown>(fetch, q('/api/v1/metrics/churn')),
      optional<unknown>(fetch, q('/api/v1/metrics/arpu')),
      optional<unknown>(fetch, q('/api/v1/metrics/trial-conversion')),
      optional<unknown>(fetch, q('/api/v1/metrics/cohorts')),
    ]);
    return { period, mrr, movements, churn, arpu, trials, cohorts };
  } catch (e) {
    throw toKitError(e, url.pathname + url.search);
  }
}) satisfies PageLoad;
