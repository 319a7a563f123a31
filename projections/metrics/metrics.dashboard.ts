import type { Decimal } from 'decimal.js';
import { type Kysely, sql } from 'kysely';
import {
  type AveragedChurn,
  addDays,
  addMonths,
  amount,
  arpu,
  averageMonthlyChurn,
  type ChurnBadge,
  churnBadge,
  churnWindowMonths,
  customerChurnRate,
  firstDayOfMonth,
  lastDayOfMonth,
  lifetimeValue,
  type RetentionComponents,
  type RevenueChurn,
  retentionComponents,
  revenueChurn,
  type TenantMrr,
  type TrialConversion,
  type TrialInput,
  trialConversion,
  ZERO,
} from '../../domain/metrics/index.ts';
import type { SubscriptionsTables } from '../subscriptions/subscriptions.table.ts';
import type { MetricsTables } from './metrics.table.ts';

/** Named limit: tenants read per as-of query (the back office's whole customer base). */
export const tenantsPerMetricsQueryMax = 100_000;
/** Named limit: trials read per conversion query. */
export const trialsPerQueryMax = 100_000;

/** Each tenant's MRR at the end of `date`, in one currency, from the day rows. */
export async function tenantMrrOn<DB extends MetricsTables>(
  db: Kysely<DB>,
  date: string,
  currency: string,
): Promise<TenantMrr[]> {
  const { rows } = await sql<{ tenant_id: string; arr: string }>`
    SELECT DISTINCT ON (tenant_id) tenant_id, arr_end_minor::text AS arr FROM rm_mrr_days
     WHERE day <= ${date}::date AND currency = ${currency}
     ORDER BY tenant_id, day DESC LIMIT ${tenantsPerMetricsQueryMax}`.execute(db);
  return rows.map((r) => ({ tenantId: r.tenant_id, mrrMinor: amount(r.arr).dividedBy(12) }));
}

export interface MonthMetrics {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly currency: string;
  readonly mrrMinor: Decimal;
  readonly arrMinor: Decimal;
  readonly activeCustomers: number;
  readonly arpuMinor: Decimal | null;
  readonly retention: RetentionComponents;
  readonly customerChurnRate: Decimal | null;
  readonly revenueChurn: RevenueChurn | null;
  /** Customer churn averaged over the `churnWindowMonths` months ending with this one. */
  readonly averagedChurn: AveragedChurn;
  readonly lifetimeValueMinor: Decimal | null;
  readonly churnBadge: ChurnBadge;
  readonly trialConversion: TrialConversion;
}

/**
 * The dashboard's figures for one month, computed by `domain/metrics` from the MRR day rows and
 * the subscriptions read model. Definitions and windows: docs/metrics.md.
 */
export async function monthMetrics(
  db: Kysely<MetricsTables & SubscriptionsTables>,
  month: string,
  currency = 'XOF',
): Promise<MonthMetrics> {
  const from = firstDayOfMonth(month);
  const to = lastDayOfMonth(month);
  const start = await tenantMrrOn(db, addDays(from, -1), currency);
  const end = await tenantMrrOn(db, to, currency);
  const retention = retentionComponents(start, end);
  const paying = end.filter((t) => (t.mrrMinor as Decimal).greaterThan(0));
  const mrr = paying.reduce((total, t) => total.plus(t.mrrMinor as Decimal), ZERO);
  const perCustomer = arpu(mrr, paying.length);

  const window = [];
  for (let i = churnWindowMonths - 1; i >= 0; i -= 1) {
    const m = addMonths(month, -i);
    const c = retentionComponents(
      await tenantMrrOn(db, addDays(firstDayOfMonth(m), -1), currency),
      await tenantMrrOn(db, lastDayOfMonth(m), currency),
    );
    window.push({ month: m, startingCustomers: c.startingCustomers, churnedCustomers: c.churnedCustomers });
  }
  const averagedChurn = averageMonthlyChurn(window);

  const trials = await sql<{
    subscription_id: string;
    started_on: string;
    converted_on: string | null;
    lapsed_on: string | null;
  }>`
    SELECT subscription_id, to_char(started_on, 'YYYY-MM-DD') AS started_on, to_char(converted_on, 'YYYY-MM-DD') AS converted_on,
           CASE WHEN end_reason = 'trial_expired' THEN to_char(ended_on, 'YYYY-MM-DD') END AS lapsed_on
      FROM rm_subscriptions WHERE trial_ends_on IS NOT NULL AND started_on <= ${to}::date AND currency = ${currency}
     LIMIT ${trialsPerQueryMax}`.execute(db);
  const trialInputs: TrialInput[] = trials.rows.map((t) => ({
    subscriptionId: t.subscription_id,
    startedOn: t.started_on,
    outcome:
      t.converted_on !== null
        ? { kind: 'converted', on: t.converted_on }
        : t.lapsed_on !== null
          ? { kind: 'lapsed', on: t.lapsed_on }
          : { kind: 'running' },
  }));

  return {
    month,
    currency,
    mrrMinor: mrr,
    arrMinor: mrr.times(12),
    activeCustomers: paying.length,
    arpuMinor: perCustomer,
    retention,
    customerChurnRate: customerChurnRate(retention),
    revenueChurn: revenueChurn(retention),
    averagedChurn,
    lifetimeValueMinor: lifetimeValue(perCustomer, averagedChurn.rate),
    churnBadge: churnBadge(averagedChurn),
    trialConversion: trialConversion(trialInputs, from, to),
  };
}
