import { Decimal } from 'decimal.js';
import {
  type CurrencyCode,
  divideRounded,
  isNegative,
  type Money,
  money,
  multiply,
  zero,
} from '../money/index.ts';
import { InvariantViolation } from '../shared/decider.ts';
import { type BillingInterval, type MeterTerms, monthsPerInterval } from './plan.ts';

/** Two months free: the annual price is ten monthly prices (a commercial rule, not arithmetic). */
export const annualPriceInMonthlyPrices = 10n;

export function annualFromMonthly(monthly: Money): Money {
  return multiply(monthly, annualPriceInMonthlyPrices, 'half_up');
}

/**
 * The true discount of an annual price against twelve monthly ones, in percent with one decimal:
 * (12 × monthly − annual) / (12 × monthly) × 100. Ten for twelve is 16.666…%, shown as 16.7, not
 * the "17 %" or "2 months = 20 %" marketing might write. Rounded once, half-up, to a tenth of a
 * percent (see docs/rounding.md).
 */
export function annualDiscountPercent(monthly: Money, annual: Money): Decimal {
  if (monthly.currency !== annual.currency) throw new InvariantViolation('prices in two currencies');
  const twelveMonths = monthly.amountMinor * 12n;
  if (twelveMonths <= 0n) throw new InvariantViolation('a discount needs a positive monthly price');
  const tenths = divideRounded((twelveMonths - annual.amountMinor) * 1000n, twelveMonths, 'half_up');
  return new Decimal(tenths.toString()).div(10);
}

/**
 * Compares two prices by their monthly equivalent (price / months in its interval), exactly: the
 * cross products avoid dividing, so 150 000 XOF a year (12 500 a month) compares below 15 000 a
 * month with no rounding at all. Returns -1, 0 or 1 like a comparator.
 */
export function compareMonthlyEquivalent(
  a: { readonly price: Money; readonly interval: BillingInterval },
  b: { readonly price: Money; readonly interval: BillingInterval },
): -1 | 0 | 1 {
  if (a.price.currency !== b.price.currency) throw new InvariantViolation('prices in two currencies');
  const left = a.price.amountMinor * BigInt(monthsPerInterval(b.interval));
  const right = b.price.amountMinor * BigInt(monthsPerInterval(a.interval));
  return left < right ? -1 : left > right ? 1 : 0;
}

export interface OverageCharge {
  readonly meter: MeterTerms['meter'];
  readonly usedQuantity: number;
  readonly includedQuantity: number | null;
  readonly overageQuantity: number;
  /** Blocks billed: a started block is billed whole (rounded up), see docs/rounding.md. */
  readonly blocks: number;
  readonly amount: Money;
}

/**
 * What usage beyond the included quantity costs for one period. The quantity is rounded up to
 * whole blocks (a started block of 1 000 tickets is billed as one), and the amount is blocks ×
 * price per block, which is exact: no money rounding happens here.
 */
export function overageCharge(
  terms: MeterTerms,
  usedQuantity: number,
  currency: CurrencyCode,
): OverageCharge {
  if (!Number.isSafeInteger(usedQuantity) || usedQuantity < 0) {
    throw new InvariantViolation(`usage must be a whole quantity, got ${usedQuantity}`);
  }
  const base = { meter: terms.meter, usedQuantity, includedQuantity: terms.includedQuantity };
  const overageQuantity =
    terms.includedQuantity === null ? 0 : Math.max(0, usedQuantity - terms.includedQuantity);
  if (overageQuantity === 0 || terms.overage === null) {
    return { ...base, overageQuantity, blocks: 0, amount: zero(currency) };
  }
  const pricePerBlock = terms.overage.pricesPerBlock.find((p) => p.currency === currency);
  if (pricePerBlock === undefined || isNegative(pricePerBlock)) {
    throw new InvariantViolation(`meter ${terms.meter} has no overage price in ${currency}`);
  }
  const blocks = Math.ceil(overageQuantity / terms.overage.blockSize);
  return {
    ...base,
    overageQuantity,
    blocks,
    amount: money(pricePerBlock.amountMinor * BigInt(blocks), currency),
  };
}
