// Proves Money is exact: parsing, arithmetic, the two rounding rules, allocation that never loses a minor unit, and the event schema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../shared/decider.ts';
import {
  add,
  allocate,
  CurrencyMismatch,
  compare,
  divideRounded,
  fromMinor,
  fromMoneyJson,
  minorUnitDigits,
  money,
  moneyOf,
  moneySchema,
  multiply,
  multiplyByRatio,
  negate,
  nonNegativeMoneySchema,
  parseMajor,
  split,
  subtract,
  sum,
  toMajorDecimal,
  toMajorString,
  toMoneyJson,
  zero,
} from './index.ts';

describe('ISO 4217 minor units', () => {
  it.each([
    ['XOF', 0],
    ['XAF', 0],
    ['GNF', 0],
    ['EUR', 2],
    ['USD', 2],
    ['TND', 3],
  ] as const)('%s has %i decimals', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });
});

describe('parseMajor', () => {
  it.each([
    ['15000', 'XOF', 15000n],
    ['45.16', 'EUR', 4516n],
    ['45.1', 'EUR', 4510n],
    ['45', 'EUR', 4500n],
    ['-3.5', 'EUR', -350n],
    ['0', 'XOF', 0n],
    ['007', 'XOF', 7n],
    ['1.234', 'TND', 1234n],
  ] as const)('reads %s %s as %s minor units', (text, currency, expected) => {
    expect(parseMajor(text, currency)).toEqual({ ok: true, money: money(expected, currency) });
  });

  it.each([
    ['15000.5', 'XOF', 'amount_too_many_decimals'],
    ['45.165', 'EUR', 'amount_too_many_decimals'],
    ['', 'EUR', 'amount_malformed'],
    [' 12', 'EUR', 'amount_malformed'],
    ['12,50', 'EUR', 'amount_malformed'],
    ['15 000', 'XOF', 'amount_malformed'],
    ['1e3', 'XOF', 'amount_malformed'],
    ['+5', 'XOF', 'amount_malformed'],
    ['5.', 'EUR', 'amount_malformed'],
    ['.5', 'EUR', 'amount_malformed'],
    ['12', 'ZZZ', 'currency_unknown'],
    ['12', 'xof', 'currency_unknown'],
    ['1'.repeat(25), 'XOF', 'amount_too_large'],
  ])('refuses %j %s with %s', (text, currency, error) => {
    const parsed = parseMajor(text, currency);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe(error);
  });

  it('round-trips every amount through toMajorString', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.constantFrom('XOF', 'EUR', 'TND'),
        (minor, currency) => {
          const amount = money(minor, currency);
          expect(moneyOf(toMajorString(amount), currency)).toEqual(amount);
        },
      ),
    );
  });
});

describe('major units', () => {
  it('writes the currency decimals', () => {
    expect(toMajorString(moneyOf('45.16', 'EUR'))).toBe('45.16');
    expect(toMajorString(money(-5n, 'EUR'))).toBe('-0.05');
    expect(toMajorString(moneyOf('15000', 'XOF'))).toBe('15000');
    expect(toMajorDecimal(moneyOf('45.16', 'EUR')).toFixed()).toBe('45.16');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and sums one currency', () => {
    expect(add(moneyOf('10', 'EUR'), moneyOf('0.05', 'EUR'))).toEqual(money(1005n, 'EUR'));
    expect(subtract(moneyOf('15000', 'XOF'), moneyOf('45000', 'XOF'))).toEqual(money(-30000n, 'XOF'));
    expect(sum('XOF', [])).toEqual(zero('XOF'));
    expect(negate(money(3n, 'EUR'))).toEqual(money(-3n, 'EUR'));
  });

  it('refuses to mix currencies', () => {
    expect(() => add(moneyOf('1', 'EUR'), moneyOf('1', 'XOF'))).toThrow(CurrencyMismatch);
    expect(() => subtract(moneyOf('1', 'EUR'), moneyOf('1', 'USD'))).toThrow(CurrencyMismatch);
    expect(() => compare(moneyOf('1', 'EUR'), moneyOf('1', 'XOF'))).toThrow(CurrencyMismatch);
    expect(() => sum('EUR', [moneyOf('1', 'XOF')])).toThrow(CurrencyMismatch);
    expect(new CurrencyMismatch('EUR', 'XOF')).toBeInstanceOf(InvariantViolation);
  });
});

describe('rounding rules', () => {
  it.each([
    // n, d, half_up, half_even
    [5n, 2n, 3n, 2n],
    [7n, 2n, 4n, 4n],
    [-5n, 2n, -3n, -2n],
    [-7n, 2n, -4n, -4n],
    [10n, 4n, 3n, 2n],
    [11n, 4n, 3n, 3n],
    [9n, 4n, 2n, 2n],
    [-11n, 4n, -3n, -3n],
    [1400n, 31n, 45n, 45n],
    [5n, -2n, -3n, -2n],
    [0n, 7n, 0n, 0n],
  ])('%s / %s is %s half-up and %s half-even', (n, d, halfUp, halfEven) => {
    expect(divideRounded(n, d, 'half_up')).toBe(halfUp);
    expect(divideRounded(n, d, 'half_even')).toBe(halfEven);
  });

  it('never lands more than half a unit from the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom('half_up' as const, 'half_even' as const),
        (n, d, mode) => {
          const q = divideRounded(n, d, mode);
          const error = q * d - n;
          expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
        },
      ),
    );
  });

  it('multiplies by a ratio with one rounding: 14/31 × 100 EUR is 45.16 EUR', () => {
    expect(multiplyByRatio(moneyOf('100', 'EUR'), 14n, 31n, 'half_up')).toEqual(moneyOf('45.16', 'EUR'));
  });

  it('multiplies by a decimal factor exactly, then rounds by the named rule', () => {
    // 18 % TVA on 12 345 XOF is 2 222.1 → 2 222 under both rules.
    expect(multiply(moneyOf('12345', 'XOF'), '0.18', 'half_up')).toEqual(moneyOf('2222', 'XOF'));
    // 0.125 EUR: the half goes away from zero, or to the even neighbour.
    expect(multiply(moneyOf('0.25', 'EUR'), '0.5', 'half_up')).toEqual(money(13n, 'EUR'));
    expect(multiply(moneyOf('0.25', 'EUR'), '0.5', 'half_even')).toEqual(money(12n, 'EUR'));
    expect(multiply(moneyOf('-0.25', 'EUR'), '0.5', 'half_up')).toEqual(money(-13n, 'EUR'));
    expect(multiply(moneyOf('15000', 'XOF'), 10n, 'half_up')).toEqual(moneyOf('150000', 'XOF'));
    // A factor with more digits than decimal.js' default precision keeps all of them.
    expect(multiply(money(10n ** 22n, 'XOF'), '0.1000000000000000000001', 'half_up')).toEqual(
      money(10n ** 21n + 1n, 'XOF'),
    );
  });
});

describe('allocate and split', () => {
  it('splits 100 XOF in three as 34, 33, 33', () => {
    expect(split(moneyOf('100', 'XOF'), 3)).toEqual([
      money(34n, 'XOF'),
      money(33n, 'XOF'),
      money(33n, 'XOF'),
    ]);
  });

  it('gives the left-over units to the largest remainders, ties to the earlier part', () => {
    // 10 by 1:2:2 → exact 2, 4, 4. 11 by 1:2:2 → 2.2, 4.4, 4.4 → the extra unit to the second part.
    expect(allocate(money(10n, 'EUR'), [1n, 2n, 2n]).map((m) => m.amountMinor)).toEqual([2n, 4n, 4n]);
    expect(allocate(money(11n, 'EUR'), [1n, 2n, 2n]).map((m) => m.amountMinor)).toEqual([2n, 5n, 4n]);
    expect(allocate(money(-11n, 'EUR'), [1n, 2n, 2n]).map((m) => m.amountMinor)).toEqual([-2n, -5n, -4n]);
    expect(allocate(money(5n, 'EUR'), [0n, 1n]).map((m) => m.amountMinor)).toEqual([0n, 5n]);
  });

  it('refuses impossible allocations', () => {
    expect(() => allocate(money(5n, 'EUR'), [])).toThrow(InvariantViolation);
    expect(() => allocate(money(5n, 'EUR'), [0n, 0n])).toThrow(InvariantViolation);
    expect(() => allocate(money(5n, 'EUR'), [-1n, 2n])).toThrow(InvariantViolation);
    expect(() => split(money(5n, 'EUR'), 0)).toThrow(InvariantViolation);
  });

  it('always sums to the whole and keeps each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc
          .array(fc.bigInt({ min: 0n, max: 1000n }), { minLength: 1, maxLength: 20 })
          .filter((ws) => ws.some((w) => w > 0n)),
        (minor, weights) => {
          const parts = allocate(money(minor, 'XOF'), weights);
          expect(sum('XOF', parts)).toEqual(money(minor, 'XOF'));
          const total = weights.reduce((a, b) => a + b, 0n);
          parts.forEach((part, i) => {
            const exactTimesTotal = minor * (weights[i] ?? 0n);
            const gap = part.amountMinor * total - exactTimesTotal;
            expect((gap < 0n ? -gap : gap) < total).toBe(true);
          });
        },
      ),
    );
  });
});

describe('moneySchema (events)', () => {
  it('accepts integer minor units in a known currency', () => {
    expect(moneySchema.parse({ amountMinor: '-1500', currency: 'XOF' })).toEqual({
      amountMinor: '-1500',
      currency: 'XOF',
    });
    expect(moneySchema.safeParse({ amountMinor: '0', currency: 'EUR' }).success).toBe(true);
  });

  it.each([
    [{ amountMinor: '15.5', currency: 'EUR' }],
    [{ amountMinor: 1500, currency: 'EUR' }],
    [{ amountMinor: '01', currency: 'EUR' }],
    [{ amountMinor: '-0', currency: 'EUR' }],
    [{ amountMinor: '-0x1', currency: 'EUR' }],
    [{ amountMinor: '', currency: 'EUR' }],
    [{ amountMinor: '1', currency: 'ZZZ' }],
    [{ amountMinor: '1'.repeat(25), currency: 'XOF' }],
  ])('refuses %j', (value) => {
    expect(moneySchema.safeParse(value).success).toBe(false);
  });

  it('has a non-negative variant for prices', () => {
    expect(nonNegativeMoneySchema.safeParse({ amountMinor: '-1', currency: 'EUR' }).success).toBe(false);
    expect(nonNegativeMoneySchema.safeParse({ amountMinor: '1', currency: 'EUR' }).success).toBe(true);
  });

  it('round-trips Money through JSON', () => {
    const amount = moneyOf('-45.16', 'EUR');
    expect(fromMoneyJson(moneySchema.parse(JSON.parse(JSON.stringify(toMoneyJson(amount)))))).toEqual(amount);
    expect(() => fromMinor('1.5', 'EUR')).toThrow(InvariantViolation);
    expect(() => fromMinor('1', 'ZZZ')).toThrow(InvariantViolation);
  });
});
