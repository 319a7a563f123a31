import type { Decimal } from 'decimal.js';
import { InvariantViolation } from '../shared/decider.ts';
import { addDays, type CalendarDate, type CalendarMonth, dayNumber, monthsBetween } from './calendar.ts';
import { type AmountInput, amount, MetricDecimal, sum, ZERO } from './decimal.ts';

/**
 * Churn, ARPU, LTV and the churn health badge. Definitions, windows and thresholds:
 * docs/metrics.md § Churn. Every input is for one currency; the caller filters.
 *
 * Churn over a period compares each tenant's MRR at the start of the period with its MRR at the
 * end. Only tenants paying at the start are in the base, so a customer won during the period is
 * never "churned" from it, and one who leaves and comes back within the period counts as neither.
 */

export interface TenantMrr {
  readonly tenantId: string;
  readonly mrrMinor: AmountInput;
}

/** Everything the churn rates need; amounts are magnitudes (never negative). */
export interface RetentionComponents {
  readonly startingCustomers: number;
  readonly churnedCustomers: number;
  readonly startingMrrMinor: Decimal;
  readonly churnMinor: Decimal;
  readonly contractionMinor: Decimal;
  readonly expansionMinor: Decimal;
}

function byTenant(rows: Iterable<TenantMrr>, what: string): Map<string, Decimal> {
  const map = new Map<string, Decimal>();
  for (const row of rows) {
    if (map.has(row.tenantId)) throw new InvariantViolation(`${what}: tenant ${row.tenantId} appears twice`);
    const value = amount(row.mrrMinor, 'mrrMinor');
    if (value.isNegative()) throw new InvariantViolation(`${what}: negative MRR for ${row.tenantId}`);
    map.set(row.tenantId, value);
  }
  return map;
}

/** Compares MRR per tenant at the start and at the end of a period. */
export function retentionComponents(
  startOfPeriod: Iterable<TenantMrr>,
  endOfPeriod: Iterable<TenantMrr>,
): RetentionComponents {
  const start = byTenant(startOfPeriod, 'start of period');
  const end = byTenant(endOfPeriod, 'end of period');
  let startingCustomers = 0;
  let churnedCustomers = 0;
  const starting: Decimal[] = [];
  const churn: Decimal[] = [];
  const contraction: Decimal[] = [];
  const expansion: Decimal[] = [];
  for (const [tenantId, before] of start) {
    if (!before.greaterThan(0)) continue;
    startingCustomers += 1;
    starting.push(before);
    const after = end.get(tenantId) ?? ZERO;
    if (after.isZero()) {
      churnedCustomers += 1;
      churn.push(before);
    } else if (after.lessThan(before)) contraction.push(before.minus(after));
    else if (after.greaterThan(before)) expansion.push(after.minus(before));
  }
  return {
    startingCustomers,
    churnedCustomers,
    startingMrrMinor: sum(starting),
    churnMinor: sum(churn),
    contractionMinor: sum(contraction),
    expansionMinor: sum(expansion),
  };
}

/** A dated MRR change of one tenant, as the movements read model stores it (one currency). */
export interface TenantMovementInput {
  readonly tenantId: string;
  readonly on: CalendarDate;
  /** Signed change of the tenant's MRR. */
  readonly amountMinor: AmountInput;
}

/** Each tenant's MRR as it stood at the end of `date`, rebuilt from its movements. */
export function mrrByTenantOn(movements: Iterable<TenantMovementInput>, date: CalendarDate): TenantMrr[] {
  const day = dayNumber(date);
  const totals = new Map<string, Decimal>();
  for (const movement of movements) {
    if (dayNumber(movement.on) > day) continue;
    totals.set(
      movement.tenantId,
      (totals.get(movement.tenantId) ?? ZERO).plus(amount(movement.amountMinor, 'amountMinor')),
    );
  }
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tenantId, mrrMinor]) => ({ tenantId, mrrMinor }));
}

/**
 * Retention components for the period `from`..`to` inclusive: the start is the end of the day
 * before `from`, the end is the end of `to`.
 */
export function retentionBetween(
  movements: readonly TenantMovementInput[],
  from: CalendarDate,
  to: CalendarDate,
): RetentionComponents {
  if (dayNumber(to) < dayNumber(from))
    throw new InvariantViolation(`period ends before it starts: ${from}..${to}`);
  return retentionComponents(mrrByTenantOn(movements, addDays(from, -1)), mrrByTenantOn(movements, to));
}

/** Customer churn rate: churned customers ÷ customers paying at the start. Null with no base. */
export function customerChurnRate(
  c: Pick<RetentionComponents, 'startingCustomers' | 'churnedCustomers'>,
): Decimal | null {
  if (c.startingCustomers === 0) return null;
  return new MetricDecimal(c.churnedCustomers).dividedBy(c.startingCustomers);
}

export interface RevenueChurn {
  /** (churn + contraction) ÷ starting MRR. */
  readonly grossRate: Decimal;
  /** (churn + contraction − expansion) ÷ starting MRR; below zero means net negative churn. */
  readonly netRate: Decimal;
}

export function revenueChurn(
  c: Pick<RetentionComponents, 'startingMrrMinor' | 'churnMinor' | 'contractionMinor' | 'expansionMinor'>,
): RevenueChurn | null {
  const base = new MetricDecimal(c.startingMrrMinor);
  if (base.isZero()) return null;
  for (const [name, value] of Object.entries(c)) {
    if (new MetricDecimal(value).isNegative()) throw new InvariantViolation(`${name} must be a magnitude`);
  }
  const lost = new MetricDecimal(c.churnMinor).plus(c.contractionMinor);
  return {
    grossRate: lost.dividedBy(base),
    netRate: lost.minus(c.expansionMinor).dividedBy(base),
  };
}

/** ARPU: MRR ÷ paying customers. Null when nobody pays. */
export function arpu(mrrMinor: AmountInput, payingCustomers: number): Decimal | null {
  if (!Number.isSafeInteger(payingCustomers) || payingCustomers < 0) {
    throw new InvariantViolation(`payingCustomers must be a whole number >= 0, got ${payingCustomers}`);
  }
  if (payingCustomers === 0) return null;
  return amount(mrrMinor, 'mrrMinor').dividedBy(payingCustomers);
}

export interface MonthlyChurnInput {
  readonly month: CalendarMonth;
  readonly startingCustomers: number;
  readonly churnedCustomers: number;
}

/** The churn averaging window: the last 6 complete months. docs/metrics.md says why. */
export const churnWindowMonths = 6;

export interface AveragedChurn {
  /** Σ churned ÷ Σ starting over the window (weighted by customers), or null with no base. */
  readonly rate: Decimal | null;
  readonly monthsUsed: number;
  /** Σ starting customers over the window: how much evidence the rate rests on. */
  readonly customerMonths: number;
}

/**
 * Average monthly customer churn over the last `windowMonths` months of `months` (complete months
 * only: the caller leaves out the current one). Weighted by starting customers, so a month with
 * three customers cannot swing the average the way a plain mean of rates would.
 */
export function averageMonthlyChurn(
  months: readonly MonthlyChurnInput[],
  windowMonths: number = churnWindowMonths,
): AveragedChurn {
  if (!Number.isSafeInteger(windowMonths) || windowMonths < 1) {
    throw new InvariantViolation(`windowMonths must be a whole number >= 1, got ${windowMonths}`);
  }
  const ordered = [...months].sort((a, b) => monthsBetween(b.month, a.month));
  for (let i = 1; i < ordered.length; i += 1) {
    if (ordered[i - 1]!.month === ordered[i]!.month) {
      throw new InvariantViolation(`month ${ordered[i]!.month} appears twice`);
    }
  }
  const latest = ordered.at(-1);
  const window =
    latest === undefined ? [] : ordered.filter((m) => monthsBetween(m.month, latest.month) < windowMonths);
  let starting = 0;
  let churned = 0;
  for (const m of window) {
    if (m.churnedCustomers > m.startingCustomers || m.churnedCustomers < 0) {
      throw new InvariantViolation(
        `month ${m.month}: churned ${m.churnedCustomers} of ${m.startingCustomers}`,
      );
    }
    starting += m.startingCustomers;
    churned += m.churnedCustomers;
  }
  return {
    rate: starting === 0 ? null : new MetricDecimal(churned).dividedBy(starting),
    monthsUsed: window.length,
    customerMonths: starting,
  };
}

/**
 * LTV: ARPU ÷ average monthly customer churn rate (the expected lifetime in months is 1 ÷ churn).
 * Null when either is unknown or when nobody churned in the window: an infinite lifetime is not
 * a number to show anyone.
 */
export function lifetimeValue(arpuMinor: Decimal | null, monthlyChurnRate: Decimal | null): Decimal | null {
  if (arpuMinor === null || monthlyChurnRate === null || monthlyChurnRate.isZero()) return null;
  if (monthlyChurnRate.isNegative()) throw new InvariantViolation('a churn rate is never negative');
  return new MetricDecimal(arpuMinor).dividedBy(monthlyChurnRate);
}

export const churnBadges = ['insufficient_data', 'healthy', 'watch', 'at_risk'] as const;
export type ChurnBadge = (typeof churnBadges)[number];

/**
 * The badge thresholds on average monthly customer churn. 2 % a month loses about a fifth of the
 * customers in a year, 5 % about half (1 − 0.95¹² ≈ 46 %). Below 20 customer-months of evidence a
 * single churned tenant would flip the badge, so it says so instead.
 */
export const churnBadgeThresholds = {
  watchFromRate: new MetricDecimal('0.02'),
  atRiskFromRate: new MetricDecimal('0.05'),
  customerMonthsMin: 20,
} as const;

export function churnBadge(averaged: AveragedChurn): ChurnBadge {
  if (averaged.rate === null || averaged.customerMonths < churnBadgeThresholds.customerMonthsMin) {
    return 'insufficient_data';
  }
  if (averaged.rate.greaterThanOrEqualTo(churnBadgeThresholds.atRiskFromRate)) return 'at_risk';
  if (averaged.rate.greaterThanOrEqualTo(churnBadgeThresholds.watchFromRate)) return 'watch';
  return 'healthy';
}
