// Proves each analytics chart is shaped from the metrics API's numbers: series, order, signs, exact labels.
import { describe, expect, it } from 'vitest';
import { arpuChart, churnChart, compactTick, deriveMonthly, movementsChart, mrrChart } from './metrics.ts';

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
    ['0.05', '0.02', 5, 2, `5,0${NNBSP}%`],
    [null, null, 0, 0, '—'],
  ])('gross %s net %s', (gross, net, grossPlot, netPlot, grossText) => {
    const chart = churnChart(
      [{ month: '2026-01', grossRevenueChurnRate: gross, netRevenueChurnRate: net }],
      'fr',
      label,
    );
    expect(chart.rows[0]?.values).toEqual({ gross: grossPlot, net: netPlot });
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

describe('deriveMonthly', () => {
  it('derives revenue churn, ARPU and LTV exactly from MRR and movements', () => {
    const { churn, arpu } = deriveMonthly([
      {
        month: '2026-10',
        startMrrMinor: '100000',
        endMrrMinor: '120000.5',
        payingTenants: 4,
        byKind: { new: '30000', expansion: '1000', churn: '-5000', contraction: '-5000' },
      },
      { month: '2026-11', startMrrMinor: '0', endMrrMinor: '0', payingTenants: 0, byKind: {} },
      {
        month: '2026-12',
        startMrrMinor: '50000',
        endMrrMinor: '60000',
        payingTenants: 3,
        byKind: { new: '10000' },
      },
    ]);
    expect(churn).toEqual([
      { month: '2026-10', grossRevenueChurnRate: '0.100000', netRevenueChurnRate: '0.090000' },
      { month: '2026-11', grossRevenueChurnRate: null, netRevenueChurnRate: null },
      { month: '2026-12', grossRevenueChurnRate: '0.000000', netRevenueChurnRate: '0.000000' },
    ]);
    // ARPU: 120 001 ÷ 4 = 30 000 (rounded down); LTV = 30 000 ÷ 0.1 = 300 000.
    expect(arpu).toEqual([
      { month: '2026-10', arpuMinor: '30000', ltvMinor: '300000' },
      { month: '2026-11', arpuMinor: null, ltvMinor: null },
      { month: '2026-12', arpuMinor: '20000', ltvMinor: null },
    ]);
  });
});
