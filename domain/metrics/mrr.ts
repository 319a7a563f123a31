import type { Decimal } from 'decimal.js';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, dayNumber } from './calendar.ts';
import { type AmountInput, amount, MetricDecimal, sum, ZERO } from './decimal.ts';

/**
 * MRR normalisation: what one subscription adds to monthly recurring revenue, and what a set of
 * subscriptions adds up to. Definitions, settings and worked examples: docs/metrics.md § MRR.
 *
 * Inputs are plain data shaped like read-model rows (amounts as strings of minor units), so the
 * projection code can feed them without translation. Prices are recurring list prices before tax;
 * usage charges never reach this function (they are reported separately).
 */

export const subscriptionStatuses = ['trialing', 'active', 'past_due', 'suspended', 'canceled'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/**
 * Billing intervals MRR knows how to normalise: the catalog's (`monthly`, `annual`) plus
 * `quarterly`, so a plan row's interval feeds in unchanged.
 */
export const recurringIntervals = ['monthly', 'quarterly', 'annual'] as const;
export type RecurringInterval = (typeof recurringIntervals)[number];

export function monthsPerRecurringInterval(interval: RecurringInterval): number {
  switch (interval) {
    case 'monthly':
      return 1;
    case 'quarterly':
      return 3;
    case 'annual':
      return 12;
    default:
      return assertNever(interval, 'billing interval');
  }
}

/**
 * How long a discount lasts. `once` and `repeating` carry `expiresOn`, the first calendar date on
 * which the discount no longer applies (for `once`, the end of the first billing period).
 */
export type DiscountDuration =
  | { readonly duration: 'forever' }
  | { readonly duration: 'once'; readonly expiresOn: CalendarDate }
  | { readonly duration: 'repeating'; readonly expiresOn: CalendarDate };

/** A discount on the recurring price: a percentage, or a fixed amount off each billing period. */
export type Discount =
  | ({ readonly kind: 'percent'; readonly percentOff: AmountInput } & DiscountDuration)
  | ({ readonly kind: 'amount'; readonly amountOffMinor: AmountInput } & DiscountDuration);

export interface SubscriptionForMrr {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly status: SubscriptionStatus;
  readonly interval: RecurringInterval;
  /** Recurring price per billing interval, before tax, in the currency's minor unit. */
  readonly priceMinor: AmountInput;
  /** Seats or units billed at `priceMinor` each; 1 when absent. A count, not money. */
  readonly quantity?: number;
  readonly currency: string;
  readonly discount?: Discount;
}

/**
 * The one setting that changes MRR: what to do with discounts that end (`once`, `repeating`).
 *
 * - `ignore` (the default): only `forever` discounts reduce MRR. A temporary discount is an
 *   acquisition cost, not the customer's recurring price; counting it would book a fake expansion
 *   on the day it expires.
 * - `apply_until_expiry`: a temporary discount reduces MRR from its start until `expiresOn`, and
 *   its expiry shows as expansion on that date (the projection must re-evaluate on that day).
 */
export const temporaryDiscountTreatments = ['ignore', 'apply_until_expiry'] as const;
export type TemporaryDiscountTreatment = (typeof temporaryDiscountTreatments)[number];

export interface MrrSettings {
  readonly temporaryDiscounts: TemporaryDiscountTreatment;
}

export const defaultMrrSettings: MrrSettings = { temporaryDiscounts: 'ignore' };

export type MrrExclusion = 'trial' | 'suspended' | 'canceled';

export interface MrrContribution {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly currency: string;
  /** Exact annualised recurring amount (price × periods per year, less counted discounts). */
  readonly annualMinor: Decimal;
  /** `annualMinor` / 12: exact when it terminates, else 60 significant digits (see decimal.ts). */
  readonly mrrMinor: Decimal;
  /** Whether a discount reduced this contribution on `asOf`. */
  readonly discountCounted: boolean;
  /** Why the subscription adds nothing, or null when it counts. */
  readonly excludedBecause: MrrExclusion | null;
}

function exclusionFor(status: SubscriptionStatus): MrrExclusion | null {
  switch (status) {
    case 'active':
    case 'past_due':
      // A past-due customer still owes the recurring price and has not left; dunning decides.
      return null;
    case 'trialing':
      return 'trial';
    case 'suspended':
      return 'suspended';
    case 'canceled':
      return 'canceled';
    default:
      return assertNever(status, 'subscription status');
  }
}

function discountCounts(discount: Discount, settings: MrrSettings, asOf: CalendarDate): boolean {
  switch (discount.duration) {
    case 'forever':
      return true;
    case 'once':
    case 'repeating':
      switch (settings.temporaryDiscounts) {
        case 'ignore':
          return false;
        case 'apply_until_expiry':
          return dayNumber(asOf) < dayNumber(discount.expiresOn);
        default:
          return assertNever(settings.temporaryDiscounts, 'temporary discount treatment');
      }
    default:
      return assertNever(discount, 'discount duration');
  }
}

/** The recurring price of one billing period after a discount, never below zero. */
function discountedPeriodPrice(periodPrice: Decimal, discount: Discount): Decimal {
  switch (discount.kind) {
    case 'percent': {
      const percent = amount(discount.percentOff, 'percentOff');
      if (percent.isNegative() || percent.greaterThan(100)) {
        throw new InvariantViolation(`percentOff must be within 0..100, got ${percent.toString()}`);
      }
      return periodPrice.times(new MetricDecimal(100).minus(percent)).dividedBy(100);
    }
    case 'amount': {
      const off = amount(discount.amountOffMinor, 'amountOffMinor');
      if (off.isNegative()) throw new InvariantViolation('amountOffMinor must not be negative');
      return MetricDecimal.max(ZERO, periodPrice.minus(off));
    }
    default:
      return assertNever(discount, 'discount kind');
  }
}

/** What one subscription adds to MRR on `asOf` (a calendar date; only temporary discounts use it). */
export function mrrContribution(
  subscription: SubscriptionForMrr,
  asOf: CalendarDate,
  settings: MrrSettings = defaultMrrSettings,
): MrrContribution {
  const quantity = subscription.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new InvariantViolation(`quantity must be a whole number >= 0, got ${quantity}`);
  }
  const price = amount(subscription.priceMinor, 'priceMinor');
  if (price.isNegative()) throw new InvariantViolation('priceMinor must not be negative');
  const base = {
    subscriptionId: subscription.subscriptionId,
    tenantId: subscription.tenantId,
    currency: subscription.currency,
  };
  const excludedBecause = exclusionFor(subscription.status);
  if (excludedBecause !== null) {
    return { ...base, annualMinor: ZERO, mrrMinor: ZERO, discountCounted: false, excludedBecause };
  }
  const periodPrice = price.times(quantity);
  const discount = subscription.discount;
  const discountCounted = discount !== undefined && discountCounts(discount, settings, asOf);
  const netPeriodPrice =
    discount !== undefined && discountCounted ? discountedPeriodPrice(periodPrice, discount) : periodPrice;
  // Annualise first: price × periods per year is exact for every interval, whereas price / 3 is not.
  const annualMinor = netPeriodPrice.times(12 / monthsPerRecurringInterval(subscription.interval));
  return {
    ...base,
    annualMinor,
    mrrMinor: annualMinor.dividedBy(12),
    discountCounted,
    excludedBecause: null,
  };
}

export interface MrrTotal {
  readonly currency: string;
  /** Sum of the exact annualised amounts: ARR, exact. */
  readonly arrMinor: Decimal;
  /** `arrMinor` / 12, divided once after summing so no per-subscription quotient error adds up. */
  readonly mrrMinor: Decimal;
  /** Tenants with a counted subscription whose MRR is above zero (paying customers). */
  readonly payingTenants: number;
}

/**
 * MRR of many subscriptions, one total per currency (there is no FX conversion in metrics: an XOF
 * and a EUR subscription are never added). Sorted by currency so the output is deterministic.
 */
export function mrrTotals(
  subscriptions: Iterable<SubscriptionForMrr>,
  asOf: CalendarDate,
  settings: MrrSettings = defaultMrrSettings,
): MrrTotal[] {
  const annualByCurrency = new Map<string, Decimal[]>();
  const payingByCurrency = new Map<string, Map<string, Decimal>>();
  for (const subscription of subscriptions) {
    const contribution = mrrContribution(subscription, asOf, settings);
    const annuals = annualByCurrency.get(contribution.currency) ?? [];
    annuals.push(contribution.annualMinor);
    annualByCurrency.set(contribution.currency, annuals);
    const byTenant = payingByCurrency.get(contribution.currency) ?? new Map<string, Decimal>();
    byTenant.set(
      contribution.tenantId,
      (byTenant.get(contribution.tenantId) ?? ZERO).plus(contribution.annualMinor),
    );
    payingByCurrency.set(contribution.currency, byTenant);
  }
  return [...annualByCurrency.keys()].sort().map((currency) => {
    const arrMinor = sum(annualByCurrency.get(currency) ?? []);
    const tenants = payingByCurrency.get(currency) ?? new Map<string, Decimal>();
    return {
      currency,
      arrMinor,
      mrrMinor: arrMinor.dividedBy(12),
      payingTenants: [...tenants.values()].filter((annual) => annual.greaterThan(0)).length,
    };
  });
}

/** MRR of one tenant in one currency: the state the movement classifier compares. */
export function tenantMrr(
  tenantId: string,
  currency: string,
  subscriptions: Iterable<SubscriptionForMrr>,
  asOf: CalendarDate,
  settings: MrrSettings = defaultMrrSettings,
): Decimal {
  const annuals: Decimal[] = [];
  for (const subscription of subscriptions) {
    if (subscription.tenantId !== tenantId) {
      throw new InvariantViolation(
        `subscription ${subscription.subscriptionId} belongs to ${subscription.tenantId}, not ${tenantId}`,
      );
    }
    if (subscription.currency !== currency) continue;
    annuals.push(mrrContribution(subscription, asOf, settings).annualMinor);
  }
  return sum(annuals).dividedBy(12);
}

/** ARR = 12 × MRR. Prefer `MrrTotal.arrMinor`, which is exact even when MRR does not terminate. */
export function arrFromMrr(mrrMinor: Decimal): Decimal {
  return new MetricDecimal(mrrMinor).times(12);
}
