import type { PageLoad } from './$types';
import { monthsBetween, periodFrom } from '$lib/analytics.ts';
import { load as get, toKitError, withQuery } from '$lib/api/client.ts';
import type { CohortJson } from '$lib/charts/cohorts.ts';
import type { MonthMetrics, MovementMonth, MrrPoint } from '$lib/charts/metrics.ts';

/** The API bounds a series to 1 100 days; the page asks for no more. */
const seriesDaysMax = 1100;

/**
 * The charts' numbers from the metrics routes, fetched side by side: the daily MRR series, and per
 * month the movements and the month's SaaS figures (ARPU, churn, LTV, trial conversion), all
 * computed by the API from domain/metrics, and the cohorts of the months the period covers.
 */
export const load = (async ({ fetch, url }) => {
  const today = new Date().toISOString().slice(0, 10);
  const period = periodFrom(url.searchParams, today);
  const currency = url.searchParams.get('currency') ?? 'XOF';
  const earliest = new Date(Date.parse(`${period.to}T00:00:00Z`) - seriesDaysMax * 86_400_000)
    .toISOString()
    .slice(0, 10);
  // The later of the two calendar dates (ISO strings sort as dates).
  const from = [period.from, earliest].sort()[1] ?? period.from;
  const months = monthsBetween(from, period.to);
  const ask = <T>(path: string, query: Record<string, string>) =>
    get<T>(fetch, withQuery(path, { currency, ...query }), url.pathname);
  try {
    const [series, figures, movements, cohorts] = await Promise.all([
      ask<{ points: MrrPoint[] }>('/api/v1/metrics/mrr/series', { from, to: period.to }),
      Promise.all(months.map((m) => ask<MonthMetrics>('/api/v1/metrics/month', { month: m.month }))),
      Promise.all(
        months.map((m) =>
          ask<{ byKind: Record<string, string> }>('/api/v1/metrics/mrr/movements', {
            from: m.from,
            to: m.to,
          }),
        ),
      ),
      // Cohorts by the month their tenants first paid, for the months the period touches.
      ask<{ cohorts: CohortJson[] }>('/api/v1/metrics/cohorts', {
        from: from.slice(0, 7),
        to: period.to.slice(0, 7),
      }),
    ]);
    const movementMonths: MovementMonth[] = months.map((m, i) => ({
      month: m.month,
      byKind: movements[i]?.byKind ?? {},
    }));
    return {
      period: { from, to: period.to },
      currency,
      points: series.points,
      movementMonths,
      figures,
      cohorts: cohorts.cohorts,
    };
  } catch (e) {
    throw toKitError(e, url.pathname + url.search);
  }
}) satisfies PageLoad;
