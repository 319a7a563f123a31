// Proves the chart kit's shaping: axis ticks, stacks above and below zero, hover lookup and CSV.
import { describe, expect, it } from 'vitest';
import {
  type ChartRow,
  chartCsv,
  nearestIndex,
  niceTicks,
  plotValue,
  stackExtent,
  stackRows,
  thinLabels,
  valueExtent,
} from './shape.ts';

const row = (label: string, values: Record<string, number>): ChartRow => ({
  label,
  values,
  display: {},
  raw: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])),
});

describe('niceTicks', () => {
  it.each([
    [0, 100, 5, [0, 20, 40, 60, 80, 100]],
    [0, 95, 5, [0, 20, 40, 60, 80, 100]],
    [-30, 70, 5, [-40, -20, 0, 20, 40, 60, 80]],
    [0, 0, 5, [0, 1]],
    [0, 1_250_000, 4, [0, 500_000, 1_000_000, 1_500_000]],
    [0, 0.07, 5, [0, 0.02, 0.04, 0.06, 0.08]],
    [10, 10, 5, [4, 6, 8, 10, 12, 14, 16]],
  ])('[%d, %d] in %d steps', (min, max, count, expected) => {
    expect(niceTicks(min, max, count)).toEqual(expected);
  });

  it('encloses the range', () => {
    const ticks = niceTicks(-17, 943);
    expect(ticks[0]).toBeLessThanOrEqual(-17);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(943);
  });
});

describe('stackRows', () => {
  it('piles gains up and losses down from zero, in series order', () => {
    const stacks = stackRows(
      [row('2026-01', { new: 10, expansion: 5, churn: -4, contraction: -1 })],
      ['new', 'expansion', 'contraction', 'churn'],
    );
    expect(stacks[0]).toEqual([
      { key: 'new', y0: 0, y1: 10 },
      { key: 'expansion', y0: 10, y1: 15 },
      { key: 'contraction', y0: 0, y1: -1 },
      { key: 'churn', y0: -1, y1: -5 },
    ]);
    expect(stackExtent(stacks)).toEqual([-5, 15]);
  });

  it('treats a missing value as zero', () => {
    expect(stackRows([row('m', {})], ['new'])).toEqual([[{ key: 'new', y0: 0, y1: 0 }]]);
  });
});

describe('extents, hover and labels', () => {
  it.each([
    [
      [row('a', { x: 5 }), row('b', { x: 12 })],
      [0, 12],
    ],
    [[row('a', { x: -3, y: 4 })], [-3, 4]],
    [[], [0, 0]],
  ] as const)('valueExtent case %#', (rows, expected) => {
    expect(valueExtent(rows, ['x', 'y'])).toEqual(expected);
  });

  it.each([
    [0.4, 5, 0],
    [0.6, 5, 1],
    [-3, 5, 0],
    [9, 5, 4],
    [2, 0, null],
    [Number.NaN, 5, null],
  ])('nearestIndex(%d, %d) = %j', (position, count, expected) => {
    expect(nearestIndex(position, count)).toBe(expected);
  });

  it.each([
    [0, 6, []],
    [4, 6, [0, 1, 2, 3]],
    [24, 6, [0, 5, 10, 15, 20, 23]],
    [13, 4, [0, 4, 8, 12]],
  ])('thinLabels(%d, %d)', (count, max, expected) => {
    expect(thinLabels(count, max)).toEqual(expected);
  });

  it.each([
    ['1500000', 0, 1_500_000],
    ['4516', 2, 45.16],
    ['junk', 0, 0],
  ])('plotValue(%s, %d)', (minor, digits, expected) => {
    expect(plotValue(minor, digits)).toBe(expected);
  });
});

describe('chartCsv', () => {
  it('writes the exact raw values with quoting', () => {
    const rows: ChartRow[] = [
      { label: '2026-01', values: { mrr: 1 }, display: {}, raw: { mrr: '1500000' } },
      { label: 'a,"b"', values: {}, display: {}, raw: {} },
    ];
    expect(chartCsv('month', rows, [{ key: 'mrr', label: 'MRR', color: '#000' }])).toBe(
      'month,mrr\r\n2026-01,1500000\r\n"a,""b""",\r\n',
    );
  });
});
