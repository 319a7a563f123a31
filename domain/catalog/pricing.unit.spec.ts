// Proves the catalog's price rules: annual = 10 × monthly, the true discount percentage, monthly-equivalent comparison and overage blocks.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../money/index.ts';
import { essentialTerms, professionalTerms } from './default-catalog.ts';
import { listPrice } from './plan.ts';
import {
  annualDiscountPercent,
  annualFromMonthly,
  compareMonthlyEquivalent,
  overageCharge,
} from './pricing.ts';

describe('default prices', () => {
  it('sells Essential at 15 000 XOF a month and 150 000 XOF a year', () => {
    expect(listPrice(essentialTerms, 'monthly', 'XOF')).toEqual(moneyOf('15000', 'XOF'));
    expect(listPrice(essentialTerms, 'annual', 'XOF')).toEqual(moneyOf('150000', 'XOF'));
    expect(listPrice(professionalTerms, 'monthly', 'XOF')).toEqual(moneyOf('45000', 'XOF'));
    expect(listPrice(professionalTerms, 'annual', 'XAF')).toEqual(moneyOf('450000', 'XAF'));
    expect(listPrice(essentialTerms, 'monthly', 'EUR')).toBeNull();
    expect(essentialTerms.trialDays).toBe(14);
  });

  it('makes annual ten monthly prices', () => {
    expect(annualFromMonthly(moneyOf('45000', 'XOF'))).toEqual(moneyOf('450000', 'XOF'));
  });
});

describe('annualDiscountPercent', () => {
  it.each([
    ['15000', '150000', '16.7'],
    ['45000', '450000', '16.7'],
    ['15000', '180000', '0'],
    ['15000', '165000', '8.3'],
    ['10', '114', '5'],
    ['1000', '11994', '0.1'], // 0.05 % exactly: the half rounds up
  ])('%s a month against %s a year is %s %%', (monthly, annual, percent) => {
    expect(annualDiscountPercent(moneyOf(monthly, 'XOF'), moneyOf(annual, 'XOF')).toString()).toBe(percent);
  });
});

describe('compareMonthlyEquivalent', () => {
  it('compares 150 000 a year below 15 000 a month, exactly', () => {
    const monthly = { price: moneyOf('15000', 'XOF'), interval: 'monthly' as const };
    const annual = { price: moneyOf('150000', 'XOF'), interval: 'annual' as const };
    const annualAtPar = { price: moneyOf('180000', 'XOF'), interval: 'annual' as const };
    expect(compareMonthlyEquivalent(annual, monthly)).toBe(-1);
    expect(compareMonthlyEquivalent(monthly, annual)).toBe(1);
    expect(compareMonthlyEquivalent(annualAtPar, monthly)).toBe(0);
  });
});

describe('overageCharge', () => {
  const tickets = essentialTerms.meters.find((m) => m.meter === 'tickets')!;

  it.each([
    [4_000, 0, 0, '0'],
    [5_000, 0, 0, '0'],
    [5_001, 1, 1, '1000'],
    [6_000, 1_000, 1, '1000'],
    [6_001, 1_001, 2, '2000'],
  ])('%i tickets: %i over, %i started blocks, %s XOF', (used, over, blocks, amount) => {
    const charge = overageCharge(tickets, used, 'XOF');
    expect(charge.overageQuantity).toBe(over);
    expect(charge.blocks).toBe(blocks);
    expect(charge.amount).toEqual(moneyOf(amount, 'XOF'));
  });

  it('charges nothing on an unlimited meter', () => {
    expect(
      overageCharge({ meter: 'tickets', includedQuantity: null, overage: null }, 10 ** 9, 'XOF').amount,
    ).toEqual(moneyOf('0', 'XOF'));
  });
});
