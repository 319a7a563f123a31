// Proves each analytics chart is shaped from the metrics API's numbers: series, order, signs, exact labels.
import { describe, expect, it } from 'vitest';
import {
  arpuChart,
  churnChart,
  compactTick,
  fromMonthMetrics,
  type MonthMetrics,
  movementsChart,
  mrrChart,
} from './metrics.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const label = (key: string) => `L:${key}`;

describe('mrrChart', () => {
  it('plots major units and shows the exact amount, rounded for display only', () => {
    const chart = mrrChart(
      [
        { date: '2026-11-01', mrrMinor: '0' },
        { date: '2026-11-02', mrrMinor: '12500.5' },
      ],
      'XOF',
      'fr',
      label,
    );
    expect(chart.series.map((s) => s.key)).toEqual(['mrr']);
    expect(chart.rows.map((r) => [r.label, r.values.mrr, r.display.mrr, r.raw.mrr])).toEqual([
      ['01/11/2026', 0, `0${NBSP}FCFA`, '0'],
      ['02/11/2026', 12500, `12${NNBSP}501${NBSP}FCFA`, '12500.5'],
    ]);
  });
});

describe('movementsChart', () => {
  it('orders gains before losses, keeps losses negative and fills missing kinds with zero', () => {
    const chart = movementsChart(
      [{ month: '2026-10', byKind: { new: '30000', churn: '-12500', expansion: '5000' } }],
      'XOF',
      'en',
      label,
    );
    expect(chart.series.map((s) => s.key)).toEqual([
      'new',
      'expansion',
      'reactivation',
      'contraction',
      'churn',
    ]);
    const [row] = chart.rows;
    expect(row?.label).toBe('Oct 2026');
    expect(row?.values).toEqual({
      new: 30000,
      expansion: 5000,
      reactivation: 0,
      contraction: 0,
      churn: -12500,
    });
    expect(row?.display.churn).toBe(`-XOF${NBSP}12,500`);
    expect(row?.raw.reactivation).toBe('0');
  });
});

describe('churnChart and arpuChart', () => {
  it.each([
    ['0.1', '0.05', '0.02', 10, 5, 2, `5,0${NNBSP}%`],
    [null, null, null, 0, 0, 0, '—'],
  ])('customer %s gross %s net %s', (customer, gross, net, customerPlot, grossPlot, netPlot, grossText) => {
    const chart = churnChart(
      [
        {
          month: '2026-01',
          customerChurnRate: customer,
          grossRevenueChurnRate: gross,
          netRevenueChurnRate: net,
        },
      ],
      'fr',
      label,
    );
    expect(chart.series.map((x) => x.key)).toEqual(['customer', 'gross', 'net']);
    expect(chart.rows[0]?.values).toEqual({ customer: customerPlot, gross: grossPlot, net: netPlot });
    expect(chart.rows[0]?.display.gross).toBe(grossText);
    expect(chart.rows[0]?.raw.gross).toBe(gross ?? '');
  });

  it('shows an unknown LTV as a dash and plots it at zero', () => {
    const chart = arpuChart([{ month: '2026-01', arpuMinor: '4516', ltvMinor: null }], 'EUR', 'en', label);
    expect(chart.rows[0]?.values).toEqual({ arpu: 45.16, ltv: 0 });
    expect(chart.rows[0]?.display).toEqual({ arpu: '€45.16', ltv: '—' });
  });
});

describe('compactTick', () => {
  it.each([
    [0, 'fr', '0'],
    [900, 'en', '900'],
    [250_000, 'fr', '250 k'],
    [1_500_000, 'fr', '1,5 M'],
    [1_500_000, 'en', '1.5 M'],
    [-20_000, 'en', '-20 k'],
  ] as const)('%d in %s is %s', (value, locale, expected) => {
    expect(compactTick(value, locale)).toBe(expected);
  });
});

describe('fromMonthMetrics', () => {
  const month = (m: string, over: Partial<MonthMetrics> = {}): MonthMetrics =>
    ({
      month: m,
      currency: 'XOF',
      mrrMinor: '100000',
      arpuMinor: '25000',
      customerChurnRate: '0.05',
      revenueChurn: { grossRate: '0.04', netRate: '-0.01' },
      lifetimeValueMinor: '500000',
      trialConversion: { converted: 1, lapsed: 1, pending: 3 },
      ...over,
    }) as MonthMetrics;

  it('passes the API figures through and totals the trials over the period', () => {
    const result = fromMonthMetrics([
      month('2026-10'),
      month('2026-11', {
        revenueChurn: null,
        lifetimeValueMinor: null,
        trialConversion: { converted: 2, lapsed: 0, pending: 4, rate: '1' },
      }),
    ]);
    expect(result.churn).toEqual([
      {
        month: '2026-10',
        customerChurnRate: '0.05',
        grossRevenueChurnRate: '0.04',
        netRevenueChurnRate: '-0.01',
      },
      { month: '2026-11', customerChurnRate: '0.05', grossRevenueChurnRate: null, netRevenueChurnRate: null },
    ]);
    expect(result.arpu).toEqual([
      { month: '2026-10', arpuMinor: '25000', ltvMinor: '500000' },
      { month: '2026-11', arpuMinor: '25000', ltvMinor: null },
    ]);
    expect(result.trials).toEqual({ converted: 3, lapsed: 1, pending: 4, rate: '0.750000' });
  });

  it('has no conversion rate when no trial ended', () => {
    expect(
      fromMonthMetrics([
        month('2026-10', { trialConversion: { converted: 0, lapsed: 0, pending: 2, rate: null } }),
      ]).trials.rate,
    ).toBeNull();
  });
});
