// Proves the cohort heat-table is shaped from the cohorts API: one row per cohort, one column per month since, exact figures in tooltips and CSV.
import { describe, expect, it } from 'vitest';
import { clampCell, type CohortJson, cohortCsv, cohortHeatmap, heatColor } from './cohorts.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const label = (key: string, params: Record<string, string | number> = {}) =>
  `${key}(${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(';')})`;

const cohorts: CohortJson[] = [
  {
    month: '2026-01',
    size: 3,
    startingMrrMinor: '40000',
    cells: [
      {
        offset: 0,
        month: '2026-01',
        payingCustomers: 3,
        mrrMinor: '40000',
        customerRetention: '1',
        revenueRetention: '1',
      },
      {
        offset: 1,
        month: '2026-02',
        payingCustomers: 2,
        mrrMinor: '20000',
        customerRetention: '0.66666666666666666666',
        revenueRetention: '0.5',
      },
    ],
  },
  {
    month: '2026-02',
    size: 1,
    startingMrrMinor: '8000',
    cells: [
      {
        offset: 0,
        month: '2026-02',
        payingCustomers: 1,
        mrrMinor: '12000',
        customerRetention: '1',
        revenueRetention: '1.5',
      },
    ],
  },
];

describe('cohortHeatmap', () => {
  it('lays cohorts in rows and months since in columns, labelled by the measure chosen', () => {
    const map = cohortHeatmap(cohorts, 'customers', 'XOF', 'fr', label);
    expect(map.rows).toEqual([
      { label: 'janv. 2026', size: '3' },
      { label: 'févr. 2026', size: '1' },
    ]);
    expect(map.columns).toEqual(['analytics.month(n=0)', 'analytics.month(n=1)']);
    expect(map.cells.map((c) => [c.row, c.col, c.label])).toEqual([
      [0, 0, `100${NNBSP}%`],
      [0, 1, `67${NNBSP}%`],
      [1, 0, `100${NNBSP}%`],
    ]);
    expect(map.cells[1]).toMatchObject({
      title: 'janv. 2026 · analytics.month(n=1) (févr. 2026)',
      lines: [
        `analytics.cohortCustomers(paying=2;size=3;percent=66,7${NNBSP}%)`,
        `analytics.cohortRevenue(amount=20${NNBSP}000${NBSP}FCFA;percent=50,0${NNBSP}%)`,
      ],
    });
  });

  it('shows revenue retention above 100 % when expansion outweighs churn, and starting MRR as the size', () => {
    const map = cohortHeatmap(cohorts, 'revenue', 'XOF', 'en', label);
    expect(map.rows[1]).toEqual({ label: 'Feb 2026', size: `XOF${NBSP}8,000` });
    expect(map.cells.map((c) => [c.label, c.ratio])).toEqual([
      ['100%', 1],
      ['50%', 0.5],
      ['150%', 1.5],
    ]);
    expect(heatColor(1.5)).toBe(heatColor(1));
    expect(heatColor(0)).not.toBe(heatColor(1));
  });

  it('is empty without cohorts', () => {
    expect(cohortHeatmap([], 'customers', 'XOF', 'fr', label)).toEqual({ rows: [], columns: [], cells: [] });
  });
});

describe('cohortCsv', () => {
  it('gives every cell with its exact figures', () => {
    expect(cohortCsv(cohorts).split('\r\n')).toEqual([
      'cohort,size,starting_mrr_minor,offset,month,paying_customers,mrr_minor,customer_retention,revenue_retention',
      '2026-01,3,40000,0,2026-01,3,40000,1,1',
      '2026-01,3,40000,1,2026-02,2,20000,0.66666666666666666666,0.5',
      '2026-02,1,8000,0,2026-02,1,12000,1,1.5',
      '',
    ]);
  });
});

describe('clampCell', () => {
  it('keeps a pointer or a key inside the table', () => {
    expect(clampCell({ row: 1.7, col: -3 }, 2, 4)).toEqual({ row: 1, col: 0 });
    expect(clampCell({ row: 9, col: 9 }, 2, 4)).toEqual({ row: 1, col: 3 });
    expect(clampCell({ row: 0, col: 0 }, 0, 4)).toBeNull();
  });
});
