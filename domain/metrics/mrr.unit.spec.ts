// Proves MRR normalisation: intervals, discounts, the temporary-discount setting, exclusions and per-currency totals, with the worked examples.
import { describe, expect, it } from 'vitest';
import { displayMinor } from './decimal.ts';
import {
  arrFromMrr,
  mrrContribution,
  mrrTotals,
  type SubscriptionForMrr,
  type SubscriptionStatus,
  tenantMrr,
} from './mrr.ts';

const asOf = '2026-03-15';

function subscription(overrides: Partial<SubscriptionForMrr> = {}): SubscriptionForMrr {
  return {
    subscriptionId: 'sub-1',
    tenantId: 'tenant-1',
    status: 'active',
    interval: 'monthly',
    priceMinor: '100',
    currency: 'XOF',
    ...overrides,
  };
}

describe('worked examples from the issue', () => {
  it('100 subscribers at 100/month and 50 at 600/year give MRR 12 500', () => {
    const monthly = Array.from({ length: 100 }, (_, i) =>
      subscription({ subscriptionId: `m-${i}`, tenantId: `tm-${i}`, priceMinor: '100' }),
    );
    const annual = Array.from({ length: 50 }, (_, i) =>
      subscription({ subscriptionId: `y-${i}`, tenantId: `ty-${i}`, interval: 'annual', priceMinor: '600' }),
    );
    const [total, ...others] = mrrTotals([...monthly, ...annual], asOf);
    expect(others).toEqual([]);
    expect(total?.currency).toBe('XOF');
    expect(total?.mrrMinor.toString()).toBe('12500');
    expect(total?.arrMinor.toString()).toBe('150000');
    expect(total?.payingTenants).toBe(150);
  });

  it('1 200/year counts 100/month, and 50 with a forever 50 % discount', () => {
    const plain = subscription({ interval: 'annual', priceMinor: '1200' });
    expect(mrrContribution(plain, asOf).mrrMinor.toString()).toBe('100');
    const discounted = {
      ...plain,
      discount: { kind: 'percent', percentOff: '50', duration: 'forever' } as const,
    };
    const contribution = mrrContribution(discounted, asOf);
    expect(contribution.mrrMinor.toString()).toBe('50');
    expect(contribution.discountCounted).toBe(true);
  });
});

describe('normalisation', () => {
  it.each([
    ['monthly', '15000', '15000'],
    ['quarterly', '45000', '15000'],
    ['annual', '180000', '15000'],
  ] as const)('a %s price of %s is %s a month', (interval, priceMinor, expected) => {
    expect(mrrContribution(subscription({ interval, priceMinor }), asOf).mrrMinor.toString()).toBe(expected);
  });

  it('keeps a quarterly price that does not divide by 3 exact until display, and ARR exact', () => {
    const contribution = mrrContribution(subscription({ interval: 'quarterly', priceMinor: '1000' }), asOf);
    expect(contribution.annualMinor.toString()).toBe('4000');
    expect(contribution.mrrMinor.toSignificantDigits(10).toString()).toBe('333.3333333');
    expect(displayMinor(contribution.mrrMinor)).toBe('333');
    // Three such subscriptions add up to 1 000 exactly because totals divide once, after summing.
    const three = [1, 2, 3].map((i) =>
      subscription({ subscriptionId: `q-${i}`, interval: 'quarterly', priceMinor: '1000' }),
    );
    expect(mrrTotals(three, asOf)[0]?.mrrMinor.toString()).toBe('1000');
    expect(tenantMrr('tenant-1', 'XOF', three, asOf).toString()).toBe('1000');
  });

  it('takes the amount as pg and Money give it: a string or a bigint of minor units', () => {
    expect(mrrContribution(subscription({ priceMinor: 29_900n }), asOf).mrrMinor.toString()).toBe('29900');
  });

  it('multiplies by quantity', () => {
    expect(mrrContribution(subscription({ priceMinor: '2500', quantity: 4 }), asOf).mrrMinor.toString()).toBe(
      '10000',
    );
  });

  it('takes a fixed amount off each billing period, never below zero', () => {
    const off = subscription({
      interval: 'annual',
      priceMinor: '120000',
      discount: { kind: 'amount', amountOffMinor: '24000', duration: 'forever' },
    });
    expect(mrrContribution(off, asOf).mrrMinor.toString()).toBe('8000');
    const tooMuch = subscription({
      discount: { kind: 'amount', amountOffMinor: '500', duration: 'forever' },
    });
    expect(mrrContribution(tooMuch, asOf).mrrMinor.toString()).toBe('0');
  });

  it.each<[SubscriptionStatus, string, string | null]>([
    ['active', '100', null],
    ['past_due', '100', null],
    ['trialing', '0', 'trial'],
    ['suspended', '0', 'suspended'],
    ['canceled', '0', 'canceled'],
  ])('a %s subscription adds %s', (status, expected, excludedBecause) => {
    const contribution = mrrContribution(subscription({ status }), asOf);
    expect(contribution.mrrMinor.toString()).toBe(expected);
    expect(contribution.excludedBecause).toBe(excludedBecause);
  });
});

describe('temporary discounts are a setting', () => {
  const repeating = subscription({
    priceMinor: '10000',
    discount: { kind: 'percent', percentOff: '20', duration: 'repeating', expiresOn: '2026-04-01' },
  });
  const once = subscription({
    priceMinor: '10000',
    discount: { kind: 'amount', amountOffMinor: '5000', duration: 'once', expiresOn: '2026-04-01' },
  });

  it('are ignored by default', () => {
    expect(mrrContribution(repeating, asOf).mrrMinor.toString()).toBe('10000');
    expect(mrrContribution(once, asOf).mrrMinor.toString()).toBe('10000');
    expect(mrrContribution(once, asOf).discountCounted).toBe(false);
  });

  it('reduce MRR until the day they expire under apply_until_expiry', () => {
    const settings = { temporaryDiscounts: 'apply_until_expiry' } as const;
    expect(mrrContribution(repeating, '2026-03-31', settings).mrrMinor.toString()).toBe('8000');
    expect(mrrContribution(repeating, '2026-04-01', settings).mrrMinor.toString()).toBe('10000');
    expect(mrrContribution(once, '2026-03-31', settings).mrrMinor.toString()).toBe('5000');
    expect(mrrContribution(once, '2026-04-01', settings).mrrMinor.toString()).toBe('10000');
  });
});

describe('totals', () => {
  it('never adds currencies together and counts paying tenants once', () => {
    const totals = mrrTotals(
      [
        subscription({ subscriptionId: 'a', tenantId: 't1', priceMinor: '10000' }),
        subscription({ subscriptionId: 'b', tenantId: 't1', priceMinor: '5000' }),
        subscription({ subscriptionId: 'c', tenantId: 't2', priceMinor: '2900', currency: 'EUR' }),
        subscription({ subscriptionId: 'd', tenantId: 't3', priceMinor: '9000', status: 'trialing' }),
        subscription({ subscriptionId: 'e', tenantId: 't4', priceMinor: '0' }),
      ],
      asOf,
    );
    expect(totals.map((t) => [t.currency, t.mrrMinor.toString(), t.payingTenants])).toEqual([
      ['EUR', '2900', 1],
      ['XOF', '15000', 1],
    ]);
  });

  it('ARR is 12 × MRR', () => {
    const [total] = mrrTotals([subscription({ priceMinor: '12500' })], asOf);
    expect(arrFromMrr(total!.mrrMinor).toString()).toBe('150000');
    expect(total!.arrMinor.toString()).toBe('150000');
  });

  it('refuses a subscription of another tenant and amounts that are not decimal strings', () => {
    expect(() => tenantMrr('tenant-2', 'XOF', [subscription()], asOf)).toThrow(/belongs to tenant-1/);
    expect(() => mrrContribution(subscription({ priceMinor: '1e3' }), asOf)).toThrow(/decimal string/);
    expect(() =>
      mrrContribution(
        subscription({ discount: { kind: 'percent', percentOff: '120', duration: 'forever' } }),
        asOf,
      ),
    ).toThrow(/0\.\.100/);
  });
});
