// Proves proration: the worked examples of issue 3 with their numbers, the half-up rule on the product, how changes are classified, and that credit and charge never exceed the full-period prices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { essentialTerms, professionalTerms } from '../catalog/default-catalog.ts';
import { type BillingInterval, listPrice } from '../catalog/plan.ts';
import { type CurrencyCode, type Money, money, moneyOf, subtract } from '../money/index.ts';
import { addDays, fromDayNumber, toDayNumber } from '../shared/calendar-date.ts';
import { periodAt } from './period.ts';
import { cancellationCredit, classifyPlanChange, prorate, prorateUpgrade, splitPeriod } from './proration.ts';
import type { SubscriptionTerms } from './subscription.ts';

function terms(planCode: string, interval: BillingInterval, price: Money): SubscriptionTerms {
  return { planCode, planVersion: 1, interval, price, meters: [] };
}

function catalogTerms(planCode: 'essential' | 'professional', interval: BillingInterval): SubscriptionTerms {
  const plan = planCode === 'essential' ? essentialTerms : professionalTerms;
  return terms(planCode, interval, listPrice(plan, interval, 'XOF')!);
}

const april = { start: '2026-04-01', end: '2026-05-01' }; // 30 days
const january = { start: '2026-01-01', end: '2026-02-01' }; // 31 days

describe('worked examples', () => {
  it('10 → 20 EUR a month, halfway through a 30-day period, bills +5 EUR (−5 unused, +10 remaining)', () => {
    const change = prorateUpgrade(
      terms('basic', 'monthly', moneyOf('10', 'EUR')),
      terms('plus', 'monthly', moneyOf('20', 'EUR')),
      { period: april, anchorDate: april.start, periodIndex: 0 },
      '2026-04-16',
    );
    expect(change.proration).toMatchObject({ periodDays: 30, usedDays: 15, remainingDays: 15 });
    expect(change.proration.credit).toEqual(moneyOf('5', 'EUR'));
    expect(change.proration.charge).toEqual(moneyOf('10', 'EUR'));
    expect(change.proration.net).toEqual(moneyOf('5', 'EUR'));
    expect(change.period).toEqual(april);
  });

  it('100 EUR a month from 1 January, replaced on 15 January, bills 14/31 × 100 = 45.16 EUR for the used part', () => {
    const split = splitPeriod(january, '2026-01-15');
    expect(split).toEqual({ periodDays: 31, usedDays: 14, remainingDays: 17 });
    expect(prorate(moneyOf('100', 'EUR'), 14, 31)).toEqual(moneyOf('45.16', 'EUR'));
    const change = prorateUpgrade(
      terms('pro', 'monthly', moneyOf('100', 'EUR')),
      terms('business', 'monthly', moneyOf('200', 'EUR')),
      { period: january, anchorDate: january.start, periodIndex: 0 },
      '2026-01-15',
    );
    // The rounded quantity is the credit (17/31 × 100 = 54.838… → 54.84); the used part is what is
    // left of the price, so used + credit is exactly the price.
    expect(change.proration.credit).toEqual(moneyOf('54.84', 'EUR'));
    expect(subtract(moneyOf('100', 'EUR'), change.proration.credit)).toEqual(moneyOf('45.16', 'EUR'));
    expect(change.proration.charge).toEqual(moneyOf('109.68', 'EUR')); // 17/31 × 200 = 109.677…
    expect(change.proration.net).toEqual(moneyOf('54.84', 'EUR'));
  });

  it('Essential → Professional in XOF on day 16 of a 30-day period: −7 500, +22 500, net 15 000 XOF', () => {
    const change = prorateUpgrade(
      catalogTerms('essential', 'monthly'),
      catalogTerms('professional', 'monthly'),
      { period: april, anchorDate: april.start, periodIndex: 0 },
      '2026-04-16',
    );
    expect(change.proration).toMatchObject({ usedDays: 15, remainingDays: 15 });
    expect(change.proration.credit).toEqual(moneyOf('7500', 'XOF'));
    expect(change.proration.charge).toEqual(moneyOf('22500', 'XOF'));
    expect(change.proration.net).toEqual(moneyOf('15000', 'XOF'));
  });

  it('Essential → Professional in XOF on day 11 of a 31-day period rounds each product once: −10 161, +30 484', () => {
    const change = prorateUpgrade(
      catalogTerms('essential', 'monthly'),
      catalogTerms('professional', 'monthly'),
      { period: january, anchorDate: january.start, periodIndex: 0 },
      '2026-01-11',
    );
    // 15 000 × 21/31 = 10 161.29… → 10 161; 45 000 × 21/31 = 30 483.87… → 30 484.
    expect(change.proration.credit).toEqual(moneyOf('10161', 'XOF'));
    expect(change.proration.charge).toEqual(moneyOf('30484', 'XOF'));
    expect(change.proration.net).toEqual(moneyOf('20323', 'XOF'));
  });

  it('Essential monthly → Professional annual at once: credit the unused month, start a year on the change date', () => {
    const change = prorateUpgrade(
      catalogTerms('essential', 'monthly'),
      catalogTerms('professional', 'annual'),
      { period: april, anchorDate: april.start, periodIndex: 0 },
      '2026-04-16',
    );
    expect(change.proration.credit).toEqual(moneyOf('7500', 'XOF'));
    expect(change.proration.charge).toEqual(moneyOf('450000', 'XOF'));
    expect(change.proration.net).toEqual(moneyOf('442500', 'XOF'));
    expect(change.period).toEqual({ start: '2026-04-16', end: '2027-04-16' });
    expect(change.anchorDate).toBe('2026-04-16');
  });
});

describe('the rounding rule: the product, once, half-up', () => {
  it('rounds an exact half away from zero', () => {
    // 45 001 × 15/30 = 22 500.5 → 22 501 (half-even would give 22 500).
    expect(prorate(moneyOf('45001', 'XOF'), 15, 30)).toEqual(moneyOf('22501', 'XOF'));
    expect(prorate(money(1n, 'EUR'), 1, 2)).toEqual(money(1n, 'EUR'));
  });

  it('rounds the product, not a daily rate', () => {
    // A daily rate rounded first (100/31 = 3.23) would give 14 × 3.23 = 45.22, not 45.16.
    expect(prorate(moneyOf('100', 'EUR'), 14, 31)).toEqual(moneyOf('45.16', 'EUR'));
  });

  it('credits the unused days on an immediate cancellation with the same rule', () => {
    expect(cancellationCredit(moneyOf('100', 'EUR'), january, '2026-01-15').amount).toEqual(
      moneyOf('54.84', 'EUR'),
    );
    expect(cancellationCredit(moneyOf('100', 'EUR'), january, '2026-02-01').amount).toEqual(
      moneyOf('0', 'EUR'),
    );
    expect(cancellationCredit(moneyOf('100', 'EUR'), january, '2025-12-20').amount).toEqual(
      moneyOf('100', 'EUR'),
    );
  });
});

describe('classifyPlanChange', () => {
  it.each([
    ['essential', 'monthly', 'professional', 'monthly', 'upgrade', 'immediately'],
    ['professional', 'monthly', 'essential', 'monthly', 'downgrade', 'at_period_end'],
    // 150 000 a year is 12 500 a month: below 15 000, so it waits for the end of the month.
    ['essential', 'monthly', 'essential', 'annual', 'downgrade', 'at_period_end'],
    // 450 000 a year is 37 500 a month: above 15 000, so it applies at once.
    ['essential', 'monthly', 'professional', 'annual', 'upgrade', 'immediately'],
    // Leaving an annual commitment always waits for the year's end, even towards a dearer plan.
    ['essential', 'annual', 'professional', 'monthly', 'upgrade', 'at_period_end'],
    ['essential', 'annual', 'essential', 'monthly', 'upgrade', 'at_period_end'],
    ['professional', 'annual', 'essential', 'annual', 'downgrade', 'at_period_end'],
  ] as const)('%s %s → %s %s is %s, %s', (fromPlan, fromInterval, toPlan, toInterval, direction, timing) => {
    expect(
      classifyPlanChange(catalogTerms(fromPlan, fromInterval), catalogTerms(toPlan, toInterval)),
    ).toEqual({
      direction,
      timing,
    });
  });

  it('calls a move at the same monthly-equivalent price lateral', () => {
    expect(
      classifyPlanChange(
        terms('a', 'monthly', moneyOf('15000', 'XOF')),
        terms('b', 'annual', moneyOf('180000', 'XOF')),
      ),
    ).toEqual({ direction: 'lateral', timing: 'at_period_end' });
  });
});

describe('properties', () => {
  const currency = fc.constantFrom<CurrencyCode>('XOF', 'EUR', 'TND');
  const price = fc.bigInt({ min: 0n, max: 10n ** 12n });
  const start = fc
    .integer({ min: toDayNumber('2020-01-01'), max: toDayNumber('2035-12-31') })
    .map(fromDayNumber);
  const interval = fc.constantFrom<BillingInterval>('monthly', 'annual');

  it('credit and charge never exceed the full-period prices, and are never negative', () => {
    fc.assert(
      fc.property(
        currency,
        price,
        price,
        start,
        interval,
        interval,
        fc.integer({ min: -5, max: 400 }),
        (cur, oldMinor, newMinor, anchor, fromInterval, toInterval, offset) => {
          const period = periodAt(anchor, fromInterval, 0);
          const from = terms('a', fromInterval, money(oldMinor, cur));
          const to = terms('b', toInterval, money(newMinor, cur));
          const { proration } = prorateUpgrade(
            from,
            to,
            { period, anchorDate: anchor, periodIndex: 0 },
            addDays(anchor, offset),
          );
          expect(proration.credit.amountMinor >= 0n && proration.credit.amountMinor <= oldMinor).toBe(true);
          expect(proration.charge.amountMinor >= 0n && proration.charge.amountMinor <= newMinor).toBe(true);
          expect(proration.credit.amountMinor + proration.charge.amountMinor <= oldMinor + newMinor).toBe(
            true,
          );
          expect(proration.usedDays + proration.remainingDays).toBe(proration.periodDays);
        },
      ),
    );
  });

  it('a later change never credits more', () => {
    fc.assert(
      fc.property(
        price,
        start,
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 31 }),
        (minor, anchor, a, b) => {
          const period = periodAt(anchor, 'monthly', 0);
          const early = cancellationCredit(money(minor, 'XOF'), period, addDays(anchor, Math.min(a, b)));
          const late = cancellationCredit(money(minor, 'XOF'), period, addDays(anchor, Math.max(a, b)));
          expect(late.amount.amountMinor <= early.amount.amountMinor).toBe(true);
        },
      ),
    );
  });
});
