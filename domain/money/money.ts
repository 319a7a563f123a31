import { Decimal } from 'decimal.js';
import { InvariantViolation } from '../shared/decider.ts';
import { type CurrencyCode, isCurrencyCode, minorUnitDigits, minorUnitsPerMajor } from './currency.ts';
import { divideRounded, type RoundingMode } from './rounding.ts';

/**
 * An exact amount of one currency, held as a whole number of minor units (centimes for EUR, francs
 * for XOF which has none). Money never passes through a JavaScript `number`.
 *
 * Money values are frozen plain objects so they compare with `toEqual` and can sit inside events'
 * in-memory form; on the wire and in stored events they travel as `MoneyJson` (see schema.ts).
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/** The largest number of digits an amount may have in minor units: a limit, not a business rule. */
export const amountMinorDigitsMax = 24;

/** Adding, subtracting or comparing two currencies is a bug in the caller; deciders refuse earlier. */
export class CurrencyMismatch extends InvariantViolation {
  constructor(
    readonly left: CurrencyCode,
    readonly right: CurrencyCode,
  ) {
    super(`cannot combine ${left} with ${right}`);
  }
}

export function money(amountMinor: bigint, currency: CurrencyCode): Money {
  return Object.freeze({ amountMinor, currency });
}

export function zero(currency: CurrencyCode): Money {
  return money(0n, currency);
}

/**
 * Money from a string of minor units as stored in events and returned by pg (`"-1500"`). Throws on
 * malformed input: stored data was validated on the way in, so a bad value here is a bug.
 */
export function fromMinor(amountMinor: string | bigint, currency: string): Money {
  if (!isCurrencyCode(currency)) throw new InvariantViolation(`unknown currency ${currency}`);
  if (typeof amountMinor === 'bigint') return money(amountMinor, currency);
  if (!minorDigitsPattern.test(amountMinor)) {
    throw new InvariantViolation(`amount in minor units is not an integer: ${JSON.stringify(amountMinor)}`);
  }
  return money(BigInt(amountMinor), currency);
}

const minorDigitsPattern = new RegExp(`^-?\\d{1,${amountMinorDigitsMax}}$`);

export type MoneyParseError =
  | 'currency_unknown'
  | 'amount_malformed'
  | 'amount_too_many_decimals'
  | 'amount_too_large';

export type MoneyParseResult =
  | { readonly ok: true; readonly money: Money }
  | { readonly ok: false; readonly error: MoneyParseError; readonly message: string };

const majorPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses an amount written in major units with a dot as decimal separator (`"15000"`, `"45.16"`,
 * `"-3.5"`). People type amounts in forms; we refuse rather than round: `"45.165"` EUR is an error,
 * not 45.17. Grouping separators, exponents, commas and surrounding spaces are refused so one
 * spelling maps to one amount.
 */
export function parseMajor(text: string, currency: string): MoneyParseResult {
  if (!isCurrencyCode(currency)) {
    return { ok: false, error: 'currency_unknown', message: `unknown currency ${JSON.stringify(currency)}` };
  }
  const match = majorPattern.exec(text);
  if (match === null) {
    return {
      ok: false,
      error: 'amount_malformed',
      message: `expected digits with an optional "." and decimals, got ${JSON.stringify(text)}`,
    };
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = minorUnitDigits(currency);
  if (fraction.length > digits) {
    return {
      ok: false,
      error: 'amount_too_many_decimals',
      message: `${currency} has ${digits} decimal${digits === 1 ? '' : 's'}, got ${JSON.stringify(text)}`,
    };
  }
  const minorText = (whole + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (minorText.length > amountMinorDigitsMax) {
    return { ok: false, error: 'amount_too_large', message: `amount ${JSON.stringify(text)} is too large` };
  }
  const amountMinor = BigInt(minorText);
  return { ok: true, money: money(sign === '-' ? -amountMinor : amountMinor, currency) };
}

/** Like `parseMajor` for literals in code and tests; throws on bad input. */
export function moneyOf(major: string, currency: CurrencyCode): Money {
  const parsed = parseMajor(major, currency);
  if (!parsed.ok) throw new InvariantViolation(parsed.message);
  return parsed.money;
}

/** The amount in major units, exact (`45.16`, `15000`). */
export function toMajorDecimal(amount: Money): Decimal {
  return new Decimal(amount.amountMinor.toString()).div(minorUnitsPerMajor(amount.currency).toString());
}

/** The amount in major units as a plain string with the currency's decimals (`"45.16"`, `"15000"`). */
export function toMajorString(amount: Money): string {
  const digits = minorUnitDigits(amount.currency);
  const negative = amount.amountMinor < 0n;
  const text = (negative ? -amount.amountMinor : amount.amountMinor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return (negative ? '-' : '') + whole + (digits > 0 ? `.${fraction}` : '');
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatch(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function negate(a: Money): Money {
  return money(-a.amountMinor, a.currency);
}

export function abs(a: Money): Money {
  return a.amountMinor < 0n ? negate(a) : a;
}

/** Sum of amounts in one currency; the currency is named so an empty list has a sum. */
export function sum(currency: CurrencyCode, amounts: readonly Money[]): Money {
  let total = 0n;
  for (const amount of amounts) {
    if (amount.currency !== currency) throw new CurrencyMismatch(currency, amount.currency);
    total += amount.amountMinor;
  }
  return money(total, currency);
}

/** -1, 0 or 1. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

export function isZero(a: Money): boolean {
  return a.amountMinor === 0n;
}

export function isNegative(a: Money): boolean {
  return a.amountMinor < 0n;
}

export function isPositive(a: Money): boolean {
  return a.amountMinor > 0n;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

/**
 * amount × numerator / denominator, computed exactly and rounded once to a whole minor unit with
 * the rule the caller names. Proration uses this: `multiplyByRatio(price, daysLeft, daysInPeriod, …)`.
 */
export function multiplyByRatio(
  amount: Money,
  numerator: bigint,
  denominator: bigint,
  rounding: RoundingMode,
): Money {
  if (denominator === 0n) throw new InvariantViolation('ratio with a zero denominator');
  return money(divideRounded(amount.amountMinor * numerator, denominator, rounding), amount.currency);
}

/**
 * amount × factor for a decimal factor (a tax rate `"0.18"`, a discount `"0.167"`), exact then
 * rounded once. The factor is turned into an exact fraction over a power of ten, so no precision
 * setting of decimal.js can lose digits.
 */
export function multiply(amount: Money, factor: Decimal | string | bigint, rounding: RoundingMode): Money {
  if (typeof factor === 'bigint') return money(amount.amountMinor * factor, amount.currency);
  const [numerator, denominator] = decimalToFraction(factor);
  return multiplyByRatio(amount, numerator, denominator, rounding);
}

/** An exact numerator/denominator for a finite decimal (`"0.18"` → 18n / 100n). */
export function decimalToFraction(value: Decimal | string): [bigint, bigint] {
  const decimal = typeof value === 'string' ? new Decimal(value) : value;
  if (!decimal.isFinite()) throw new InvariantViolation(`not a finite decimal: ${decimal.toString()}`);
  const plain = decimal.toFixed(); // toFixed() without an argument never uses exponent notation
  const match = majorPattern.exec(plain);
  if (match === null) throw new InvariantViolation(`cannot read decimal ${plain}`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const numerator = BigInt(whole + fraction);
  return [sign === '-' ? -numerator : numerator, 10n ** BigInt(fraction.length)];
}

/** The most parts `allocate` splits into: a limit so a bad caller cannot allocate a huge array. */
export const allocationPartsMax = 10_000;

/**
 * Splits an amount into parts proportional to the weights, never losing or inventing a minor unit:
 * the parts always sum to the amount. Each part first gets the rounded-down share; the minor units
 * left over go one each to the parts with the largest remainders, ties to the earlier part. The
 * result is deterministic, so a replay splits the same way. A negative amount is split as its
 * opposite and negated, so a refund mirrors the charge it reverses.
 */
export function allocate(amount: Money, weights: readonly bigint[]): Money[] {
  if (weights.length === 0 || weights.length > allocationPartsMax) {
    throw new InvariantViolation(`allocate needs 1..${allocationPartsMax} weights, got ${weights.length}`);
  }
  let weightTotal = 0n;
  for (const weight of weights) {
    if (weight < 0n) throw new InvariantViolation('allocation weights must not be negative');
    weightTotal += weight;
  }
  if (weightTotal === 0n) throw new InvariantViolation('allocation weights must not all be zero');
  const negative = amount.amountMinor < 0n;
  const whole = negative ? -amount.amountMinor : amount.amountMinor;
  const shares = weights.map((weight) => (whole * weight) / weightTotal);
  const remainders = weights.map((weight, index) => ({ index, remainder: (whole * weight) % weightTotal }));
  let leftOver = whole - shares.reduce((total, share) => total + share, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (leftOver === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftOver -= 1n;
  }
  return shares.map((share) => money(negative ? -share : share, amount.currency));
}

/** Splits an amount into `parts` near-equal parts that sum to it (the first parts take the extra units). */
export function split(amount: Money, parts: number): Money[] {
  if (!Number.isInteger(parts) || parts < 1) throw new InvariantViolation(`cannot split into ${parts} parts`);
  return allocate(
    amount,
    Array.from({ length: parts }, () => 1n),
  );
}
