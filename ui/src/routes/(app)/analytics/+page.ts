import type { PageLoad } from './$types';
import { dayBefore, monthsBetween, periodFrom } from '$lib/analytics.ts';
import { load as get, optional, toKitError, withQuery } from '$lib/api/client.ts';
import type { MrrFigure } from '$lib/api/types.ts';
import type { MonthFigures, MovementMonth, MrrPoint } from '$lib/charts/metrics.ts';

/** The API bounds a series to 1 100 days; the page asks for no more. */
const seriesDaysMax = 1100;

/**
 * The charts' numbers from the metrics routes, fetched side by side: the daily MRR series, and per
 * month the movements and MRR at the month's end (the page derives revenue churn, ARPU and LTV
 * from those, `deriveMonthly`). Trial conversion and cohorts have no route yet: their panels show
 * the unavailable state until the API answers them.
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
    const [series, opening, ends, movements, trials, cohorts] = await Promise.all([
      ask<{ points: MrrPoint[] }>('/api/v1/metrics/mrr/series', { from, to: period.to }),
      ask<MrrFigure>('/api/v1/metrics/mrr', { asOf: dayBefore(months[0]?.from ?? from) }),
      Promise.all(months.map((m) => ask<MrrFigure>('/api/v1/metrics/mrr', { asOf: m.to }))),
      Promise.all(
        months.map((m) =>
          ask<{ byKind: Record<string, string> }>('/api/v1/metrics/mrr/movements', {
            from: m.from,
            to: m.to,
          }),
        ),
      ),
      optional<unknown>(fetch, withQuery('/api/v1/metrics/trial-conversion', { from, to: period.to })),
      optional<unknown>(fetch, withQuery('/api/v1/metrics/cohorts', { from, to: period.to })),
    ]);
    const movementMonths: MovementMonth[] = months.map((m, i) => ({
      month: m.month,
      byKind: movements[i]?.byKind ?? {},
    }));
    const figures: MonthFigures[] = months.map((m, i) => ({
      month: m.month,
      startMrrMinor: (i === 0 ? opening : ends[i - 1])?.mrrMinor ?? '0',
      endMrrMinor: ends[i]?.mrrMinor ?? '0',
      payingTenants: ends[i]?.payingTenants ?? 0,
      byKind: movements[i]?.byKind ?? {},
    }));
    return {
      period: { from, to: period.to },
      currency,
      points: series.points,
      movementMonths,
      figures,
      trials,
      cohorts,
    };
  } catch (e) {
    throw toKitError(e, url.pathname + url.search);
  }
}) satisfies PageLoad;
