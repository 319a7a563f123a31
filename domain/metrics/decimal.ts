import { Decimal } from 'decimal.js';
import { InvariantViolation } from '../shared/decider.ts';

/**
 * The Decimal constructor every metric uses. Sums, differences and products of minor-unit amounts
 * are exact at this precision (60 significant digits is far beyond any ledger amount); the only
 * values it bounds are non-terminating quotients such as 1 000 / 3 for a quarterly price or a churn
 * ratio, which keep 60 significant digits and are rounded once, for display, by `displayMinor` or
 * `displayPercent`. Half-even inside the arithmetic so that repeated bounded quotients do not drift.
 */
export const MetricDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

/**
 * An amount as read-model rows and events carry it: a string of minor units (pg's numeric and int8),
 * a bigint (`Money.amountMinor`), or a Decimal.
 */
export type AmountInput = string | bigint | Decimal;

const decimalPattern = /^-?\d+(\.\d+)?$/;

/**
 * Parses an amount without ever going through a JS number. Strings must be plain decimals
 * ("12500", "-40", "33.5"): exponents, blanks and "NaN" are refused because they only reach us
 * through a bug upstream.
 */
export function amount(value: AmountInput, what = 'amount'): Decimal {
  if (typeof value === 'string') {
    if (!decimalPattern.test(value))
      throw new InvariantViolation(`${what} is not a decimal string: ${value}`);
    return new MetricDecimal(value);
  }
  if (typeof value === 'bigint') return new MetricDecimal(value.toString());
  if (!Decimal.isDecimal(value) || !value.isFinite()) {
    throw new InvariantViolation(`${what} is not a finite Decimal: ${String(value)}`);
  }
  return new MetricDecimal(value);
}

export const ZERO: Decimal = new MetricDecimal(0);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * Display rounding for an amount in minor units: half-up (away from zero) to whole minor units,
 * the rule people expect on a dashboard ("12 500,5 FCFA" shows as 12 501). Never feed the result
 * back into a computation.
 */
export function displayMinor(value: Decimal): string {
  return value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0);
}

/** Display rounding for a ratio (0.2 → "20.0"): percent, one decimal place, half-up. */
export function displayPercent(ratio: Decimal, decimalPlaces = 1): string {
  return ratio.times(100).toDecimalPlaces(decimalPlaces, Decimal.ROUND_HALF_UP).toFixed(decimalPlaces);
}
