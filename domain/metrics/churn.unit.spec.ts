// Proves customer churn, gross and net revenue churn (with the 20 % / 10 % example), ARPU, LTV over the averaging window, and the churn badge thresholds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arpu,
  averageMonthlyChurn,
  churnBadge,
  customerChurnRate,
  lifetimeValue,
  type MonthlyChurnInput,
  mrrByTenantOn,
  retentionBetween,
  retentionComponents,
  revenueChurn,
} from './churn.ts';
import { displayPercent, MetricDecimal } from './decimal.ts';

describe('revenue churn: the worked example', () => {
  it('(10 churn + 10 contraction) / 100 is 20 % gross; with 10 expansion, 10 % net', () => {
    const rates = revenueChurn({
      startingMrrMinor: new MetricDecimal(100),
      churnMinor: new MetricDecimal(10),
      contractionMinor: new MetricDecimal(10),
      expansionMinor: new MetricDecimal(10),
    });
    expect(rates?.grossRate.toString()).toBe('0.2');
    expect(rates?.netRate.toString()).toBe('0.1');
    expect(displayPercent(rates!.grossRate)).toBe('20.0');
  });

  it('gets the same numbers from the customers’ MRR at the start and end of the period', () => {
    const components = retentionComponents(
      [
        { tenantId: 'churns', mrrMinor: '10' },
        { tenantId: 'shrinks', mrrMinor: '30' },
        { tenantId: 'grows', mrrMinor: '20' },
        { tenantId: 'stays', mrrMinor: '40' },
        { tenantId: 'trial-only', mrrMinor: '0' },
      ],
      [
        { tenantId: 'shrinks', mrrMinor: '20' },
        { tenantId: 'grows', mrrMinor: '30' },
        { tenantId: 'stays', mrrMinor: '40' },
        { tenantId: 'joined-during-period', mrrMinor: '500' },
      ],
    );
    expect(components).toMatchObject({ startingCustomers: 4, churnedCustomers: 1 });
    expect(
      [
        components.startingMrrMinor,
        components.churnMinor,
        components.contractionMinor,
        components.expansionMinor,
      ].map(String),
    ).toEqual(['100', '10', '10', '10']);
    const rates = revenueChurn(components);
    expect([rates?.grossRate.toString(), rates?.netRate.toString()]).toEqual(['0.2', '0.1']);
    expect(customerChurnRate(components)?.toString()).toBe('0.25');
  });

  it('can be negative net churn, and is null with nothing to churn from', () => {
    const rates = revenueChurn({
      startingMrrMinor: new MetricDecimal(100),
      churnMinor: new MetricDecimal(5),
      contractionMinor: new MetricDecimal(0),
      expansionMinor: new MetricDecimal(25),
    });
    expect(rates?.netRate.toString()).toBe('-0.2');
    expect(retentionComponents([], []).startingCustomers).toBe(0);
    expect(revenueChurn(retentionComponents([], []))).toBe(null);
    expect(customerChurnRate({ startingCustomers: 0, churnedCustomers: 0 })).toBe(null);
  });
});

describe('from dated movements', () => {
  const movements = [
    { tenantId: 'a', on: '2026-01-10', amountMinor: '10000' },
    { tenantId: 'b', on: '2026-01-20', amountMinor: '5000' },
    { tenantId: 'a', on: '2026-02-03', amountMinor: '-10000' },
    { tenantId: 'b', on: '2026-02-10', amountMinor: '2000' },
    { tenantId: 'c', on: '2026-02-11', amountMinor: '3000' },
    { tenantId: 'c', on: '2026-02-20', amountMinor: '-3000' },
  ];

  it('rebuilds each tenant’s MRR on a date', () => {
    expect(mrrByTenantOn(movements, '2026-01-31').map((r) => [r.tenantId, String(r.mrrMinor)])).toEqual([
      ['a', '10000'],
      ['b', '5000'],
    ]);
  });

  it('counts February churn from the customers paying on 31 January only', () => {
    const february = retentionBetween(movements, '2026-02-01', '2026-02-28');
    expect(february).toMatchObject({ startingCustomers: 2, churnedCustomers: 1 });
    expect(String(february.churnMinor)).toBe('10000');
    expect(String(february.expansionMinor)).toBe('2000');
  });
});

describe('ARPU and LTV', () => {
  it('ARPU is MRR per paying customer', () => {
    expect(arpu('12500', 150)?.toSignificantDigits(6).toString()).toBe('83.3333');
    expect(arpu('0', 0)).toBe(null);
  });

  it('LTV is ARPU ÷ the average monthly churn over the last 6 complete months', () => {
    const months: MonthlyChurnInput[] = [
      { month: '2025-08', startingCustomers: 10, churnedCustomers: 9 }, // outside the window
      { month: '2025-09', startingCustomers: 100, churnedCustomers: 2 },
      { month: '2025-10', startingCustomers: 100, churnedCustomers: 3 },
      { month: '2025-11', startingCustomers: 100, churnedCustomers: 5 },
      { month: '2025-12', startingCustomers: 100, churnedCustomers: 2 },
      { month: '2026-01', startingCustomers: 100, churnedCustomers: 4 },
      { month: '2026-02', startingCustomers: 100, churnedCustomers: 4 },
    ];
    const averaged = averageMonthlyChurn(months);
    expect(averaged.monthsUsed).toBe(6);
    expect(averaged.customerMonths).toBe(600);
    // 20 churned of 600 customer-months: 1 in 30.
    expect(averaged.rate?.equals(new MetricDecimal(20).dividedBy(600))).toBe(true);
    const ltv = lifetimeValue(new MetricDecimal(10000), averaged.rate);
    expect(ltv?.toDecimalPlaces(0).toString()).toBe('300000');
    expect(lifetimeValue(new MetricDecimal(10000), new MetricDecimal(0))).toBe(null);
  });

  it('weights months by their customers rather than averaging the rates', () => {
    const averaged = averageMonthlyChurn([
      { month: '2026-01', startingCustomers: 2, churnedCustomers: 1 },
      { month: '2026-02', startingCustomers: 98, churnedCustomers: 1 },
    ]);
    expect(averaged.rate?.toString()).toBe('0.02');
  });
});

describe('churn badge', () => {
  it.each([
    [100, 0, 'healthy'],
    [100, 1, 'healthy'],
    [100, 2, 'watch'],
    [1000, 49, 'watch'],
    [100, 5, 'at_risk'],
    [100, 30, 'at_risk'],
    [19, 0, 'insufficient_data'],
    [20, 0, 'healthy'],
    [0, 0, 'insufficient_data'],
  ] as const)('%i customer-months with %i churned: %s', (startingCustomers, churnedCustomers, badge) => {
    expect(churnBadge(averageMonthlyChurn([{ month: '2026-02', startingCustomers, churnedCustomers }]))).toBe(
      badge,
    );
  });

  it('never improves when more customers churn from the same base', () => {
    const order = ['healthy', 'watch', 'at_risk'];
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 500 }), fc.nat(), fc.nat(), (starting, a, b) => {
        const fewer = Math.min(a, b) % (starting + 1);
        const more = Math.max(fewer, Math.max(a, b) % (starting + 1));
        const badge = (churned: number) =>
          churnBadge(
            averageMonthlyChurn([
              { month: '2026-02', startingCustomers: starting, churnedCustomers: churned },
            ]),
          );
        expect(order.indexOf(badge(more))).toBeGreaterThanOrEqual(order.indexOf(badge(fewer)));
      }),
    );
  });
});
