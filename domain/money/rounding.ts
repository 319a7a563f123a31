import { assertNever } from '../shared/decider.ts';

/**
 * Rounding of exact rationals to whole minor units. Every rounding in the ledger goes through
 * `divideRounded`, so the rule at each call site is named, and `docs/rounding.md` lists the sites.
 *
 * - `half_up`: halves round away from zero (2.5 → 3, −2.5 → −3). This is what people and most tax
 *   administrations call "arrondi au plus proche, la moitié vers le haut"; on negative amounts we
 *   mirror it so a credit is the exact opposite of the matching charge.
 * - `half_even`: halves round to the even neighbour (2.5 → 2, 3.5 → 4), the banker's rule; over many
 *   roundings it does not drift up.
 *
 * The arithmetic is done on bigint numerator and denominator, so nothing is lost before the single
 * rounding step.
 */
export const roundingModes = ['half_up', 'half_even'] as const;
export type RoundingMode = (typeof roundingModes)[number];

/** numerator / denominator rounded to an integer with the given rule. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  // Normalise the sign onto the numerator so the remainder logic below sees a positive divisor.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d; // truncates toward zero
  const remainder = n % d; // same sign as n
  if (remainder === 0n) return quotient;
  const awayFromZero = n < 0n ? quotient - 1n : quotient + 1n;
  const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twiceRemainder < d) return quotient;
  if (twiceRemainder > d) return awayFromZero;
  switch (mode) {
    case 'half_up':
      return awayFromZero;
    case 'half_even':
      return quotient % 2n === 0n ? quotient : awayFromZero;
    default:
      return assertNever(mode, 'rounding mode');
  }
}
