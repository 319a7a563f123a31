import type { Decimal } from 'decimal.js';
import { type Kysely, sql } from 'kysely';
import {
  addDays,
  amount,
  dailySeries,
  type MovementKind,
  movementKinds,
  seriesDaysMax,
  sum,
  ZERO,
} from '../../domain/metrics/index.ts';
import type { MetricsTables } from './metrics.table.ts';

/**
 * MRR queries. Amounts are exact decimals of minor units (`Decimal`): MRR = ARR / 12, divided once
 * after summing. Round only for display (`displayMinor`). Definitions: docs/metrics.md.
 */

export interface MrrFigure {
  readonly arrMinor: Decimal;
  readonly mrrMinor: Decimal;
  /** Tenants whose MRR is above zero. */
  readonly payingTenants: number;
}

export interface MetricsScope {
  readonly tenantId?: string;
  readonly currency?: string;
}

function scope(filter: MetricsScope) {
  return sql.join(
    [
      sql`true`,
      ...(filter.tenantId === undefined ? [] : [sql`tenant_id = ${filter.tenantId}`]),
      ...(filter.currency === undefined ? [] : [sql`currency = ${filter.currency}`]),
    ],
    sql` AND `,
  );
}

/**
 * MRR as it stood at the end of `date` (YYYY-MM-DD). For the whole business (or one currency) it
 * sums the per-day totals up to that date (at most one row per day and currency); for one tenant it
 * takes the tenant's last day row on or before it. Both give the same figure: a tenant's day rows
 * chain, so their changes add up to its last value (migration 2026_11_25_1800).
 */
export async function mrrAsOf(
  db: Kysely<MetricsTables>,
  date: string,
  filter: MetricsScope = {},
): Promise<MrrFigure> {
  const { rows } =
    filter.tenantId === undefined
      ? await sql<{ arr: string | null; paying: string | null }>`
    SELECT sum(arr_change_minor)::text AS arr, sum(paying_change)::text AS paying
      FROM rm_mrr_day_totals WHERE day <= ${date}::date AND ${scope(filter)}`.execute(db)
      : await sql<{ arr: string | null; paying: string }>`
    SELECT sum(arr_end_minor)::text AS arr, count(*) FILTER (WHERE arr_end_minor > 0)::text AS paying
      FROM (SELECT DISTINCT ON (tenant_id) arr_end_minor FROM rm_mrr_days
             WHERE day <= ${date}::date AND ${scope(filter)} ORDER BY tenant_id, day DESC) AS latest`.execute(
          db,
        );
  const arr = amount(rows[0]?.arr ?? '0');
  return { arrMinor: arr, mrrMinor: arr.dividedBy(12), payingTenants: Number(rows[0]?.paying ?? '0') };
}

export interface MrrPoint {
  readonly date: string;
  readonly mrrMinor: Decimal;
}

/** MRR at the end of every day from `from` to `to` (at most `seriesDaysMax` days). */
export async function mrrSeries(
  db: Kysely<MetricsTables>,
  from: string,
  to: string,
  filter: MetricsScope = {},
): Promise<MrrPoint[]> {
  const opening = await mrrAsOf(db, addDays(from, -1), filter);
  // The business's changes per day are kept summed; one tenant's are its own day rows.
  const changes =
    filter.tenantId === undefined
      ? sql`SELECT day, arr_change_minor AS delta FROM rm_mrr_day_totals`
      : sql`SELECT day, arr_end_minor - arr_start_minor AS delta FROM rm_mrr_days`;
  const { rows } = await sql<{ day: string; delta: string }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(delta)::text AS delta
      FROM (${changes} WHERE day BETWEEN ${from}::date AND ${to}::date AND ${scope(filter)}) AS changes
     GROUP BY day ORDER BY day LIMIT ${seriesDaysMax}`.execute(db);
  return dailySeries({
    changes: rows.map((r) => ({ on: r.day, delta: r.delta })),
    from,
    to,
    opening: opening.arrMinor,
  }).map((p) => ({ date: p.date, mrrMinor: p.value.dividedBy(12) }));
}

export interface MovementTotals {
  readonly byKind: Readonly<Record<MovementKind, Decimal>>;
  /** new + expansion + reactivation + contraction + churn (the last two negative). */
  readonly netNewMrrMinor: Decimal;
}

/** MRR movements between two dates, both included, as MRR amounts (signed). */
export async function mrrMovements(
  db: Kysely<MetricsTables>,
  from: string,
  to: string,
  filter: MetricsScope = {},
): Promise<MovementTotals> {
  const { rows } = await sql<{ movement: MovementKind; delta: string }>`
    SELECT movement, sum(arr_end_minor - arr_start_minor)::text AS delta FROM rm_mrr_days
     WHERE day BETWEEN ${from}::date AND ${to}::date AND movement IS NOT NULL AND ${scope(filter)}
     GROUP BY movement`.execute(db);
  const byKind = Object.fromEntries(movementKinds.map((k) => [k, ZERO])) as Record<MovementKind, Decimal>;
  for (const row of rows) byKind[row.movement] = amount(row.delta).dividedBy(12);
  return { byKind, netNewMrrMinor: sum(Object.values(byKind)) };
}

export interface DailyMovement {
  readonly tenantId: string;
  readonly date: string;
  readonly kind: MovementKind;
  readonly mrrMinor: Decimal;
}

/** Named limit for the movements listed per request. */
export const movementsListedMax = 1000;

/** Each tenant's classified change per day, oldest first (for the movements table and cohorts). */
export async function listDailyMovements(
  db: Kysely<MetricsTables>,
  from: string,
  to: string,
  filter: MetricsScope = {},
): Promise<DailyMovement[]> {
  const { rows } = await sql<{ tenant_id: string; day: string; movement: MovementKind; delta: string }>`
    SELECT tenant_id, to_char(day, 'YYYY-MM-DD') AS day, movement, (arr_end_minor - arr_start_minor)::text AS delta
      FROM rm_mrr_days WHERE day BETWEEN ${from}::date AND ${to}::date AND movement IS NOT NULL AND ${scope(filter)}
     ORDER BY day, tenant_id LIMIT ${movementsListedMax}`.execute(db);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    date: r.day,
    kind: r.movement,
    mrrMinor: amount(r.delta).dividedBy(12),
  }));
}
