import { monthsPerInterval } from '../catalog/plan.ts';
import { compareMonthlyEquivalent } from '../catalog/pricing.ts';
import { type Money, multiplyByRatio, type RoundingMode, subtract } from '../money/index.ts';
import { addMonths, type CalendarDate, daysBetween } from '../shared/calendar-date.ts';
import { InvariantViolation } from '../shared/decider.ts';
import { type Period, periodDays } from './period.ts';
import type { ChangeDirection, SubscriptionTerms } from './subscription.ts';

/**
 * Proration, day-based over the current period. The rounding rule (docs/rounding.md): each prorated
 * amount is `price × days / periodDays`, computed exactly and rounded once to a whole minor unit,
 * half-up. We round the product, never a daily rate: a daily rate of 100 EUR / 31 days would
 * already be off by a fraction of a cent, and multiplying it by 14 days multiplies the error.
 */
export const prorationRounding: RoundingMode = 'half_up';

export interface DaySplit {
  readonly periodDays: number;
  /** Days of the period before `on`: served and kept. Zero when the period has not started yet. */
  readonly usedDays: number;
  /** Days from `on` to the period end: what a change or a cancellation gives back. */
  readonly remainingDays: number;
}

/** Splits a period at a date; a date outside the period is clamped to its bounds. */
export function splitPeriod(period: Period, on: CalendarDate): DaySplit {
  const total = periodDays(period);
  if (total <= 0) throw new InvariantViolation(`empty period ${period.start}..${period.end}`);
  const usedDays = Math.min(total, Math.max(0, daysBetween(period.start, on)));
  return { periodDays: total, usedDays, remainingDays: total - usedDays };
}

/** `price × days / periodDays`, rounded once, half-up. */
export function prorate(price: Money, days: number, totalDays: number): Money {
  if (
    !Number.isInteger(days) ||
    !Number.isInteger(totalDays) ||
    days < 0 ||
    totalDays <= 0 ||
    days > totalDays
  ) {
    throw new InvariantViolation(`cannot prorate ${days} of ${totalDays} days`);
  }
  return multiplyByRatio(price, BigInt(days), BigInt(totalDays), prorationRounding);
}

export interface Proration {
  readonly period: Period;
  readonly periodDays: number;
  readonly usedDays: number;
  readonly remainingDays: number;
  readonly credit: Money;
  readonly chargedPeriod: Period;
  readonly charge: Money;
  readonly net: Money;
}

export type ChangeTiming = 'immediately' | 'at_period_end';

export interface ChangeClassification {
  readonly direction: ChangeDirection;
  readonly timing: ChangeTiming;
}

/**
 * Whether a plan change is an upgrade, and when it applies (docs/rfc/002-billing-domain.md):
 * - plans are compared by their monthly-equivalent price (price ÷ months in the interval), exactly;
 *   higher is an upgrade, lower a downgrade, equal a lateral move (same price, other quotas);
 * - an upgrade applies at once, with proration; a downgrade or lateral move waits for the period
 *   end, so the customer keeps what was paid for;
 * - a move to a shorter interval (annual → monthly) always waits for the period end: the annual
 *   price was a commitment, and refunding most of a year mid-term is not offered.
 * So Essential monthly → Essential annual (12 500 XOF a month equivalent, below 15 000) switches at
 * the end of the month, and Essential monthly → Professional annual (37 500) switches at once.
 */
export function classifyPlanChange(from: SubscriptionTerms, to: SubscriptionTerms): ChangeClassification {
  const comparison = compareMonthlyEquivalent(to, from);
  const direction: ChangeDirection = comparison > 0 ? 'upgrade' : comparison < 0 ? 'downgrade' : 'lateral';
  const shorter = monthsPerInterval(to.interval) < monthsPerInterval(from.interval);
  return { direction, timing: direction === 'upgrade' && !shorter ? 'immediately' : 'at_period_end' };
}

export interface ImmediateChange {
  readonly proration: Proration;
  /** Where the subscription's periods are counted from after the change. */
  readonly anchorDate: CalendarDate;
  readonly period: Period;
  readonly periodIndex: number;
}

/**
 * The amounts of an upgrade applied on `on`. Same interval: the old price is credited and the new
 * one charged for the remaining days of the current period, which goes on unchanged. Longer
 * interval (monthly → annual): the old price is credited for the remaining days, and a new annual
 * period starts on the change date, charged in full; the anchor moves to that date.
 */
export function prorateUpgrade(
  from: SubscriptionTerms,
  to: SubscriptionTerms,
  current: { readonly period: Period; readonly anchorDate: CalendarDate; readonly periodIndex: number },
  on: CalendarDate,
): ImmediateChange {
  if (from.price.currency !== to.price.currency)
    throw new InvariantViolation('a plan change keeps the currency');
  const split = splitPeriod(current.period, on);
  const credit = prorate(from.price, split.remainingDays, split.periodDays);
  if (to.interval === from.interval) {
    const charge = prorate(to.price, split.remainingDays, split.periodDays);
    return {
      proration: {
        period: current.period,
        ...split,
        credit,
        chargedPeriod: { start: later(on, current.period.start), end: current.period.end },
        charge,
        net: subtract(charge, credit),
      },
      anchorDate: current.anchorDate,
      period: current.period,
      periodIndex: current.periodIndex,
    };
  }
  // A new, longer period starts on the change date (or on the current period's start if it has not begun).
  const start = later(on, current.period.start);
  const period = { start, end: addMonths(start, monthsPerInterval(to.interval)) };
  const charge = to.price;
  return {
    proration: {
      period: current.period,
      ...split,
      credit,
      chargedPeriod: period,
      charge,
      net: subtract(charge, credit),
    },
    anchorDate: start,
    period,
    periodIndex: 0,
  };
}

export interface CancellationCredit {
  readonly period: Period;
  readonly periodDays: number;
  readonly unusedDays: number;
  readonly amount: Money;
}

/** The credit for canceling on `on`: the price of the unused days, same rule as a change. */
export function cancellationCredit(price: Money, period: Period, on: CalendarDate): CancellationCredit {
  const split = splitPeriod(period, on);
  return {
    period,
    periodDays: split.periodDays,
    unusedDays: split.remainingDays,
    amount: prorate(price, split.remainingDays, split.periodDays),
  };
}

const later = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b);
