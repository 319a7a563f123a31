// Proves the analytics period: defaults to the last twelve months, keeps a valid range, and presets count whole months.
import { describe, expect, it } from 'vitest';
import { currencyOf, dayBefore, listOf, monthsBetween, periodFrom, presetPeriod } from './analytics.ts';

describe('periodFrom', () => {
  it.each([
    ['', { from: '2025-12-01', to: '2026-11-25' }],
    ['from=2026-01-01&to=2026-06-30', { from: '2026-01-01', to: '2026-06-30' }],
    ['from=2026-07-01&to=2026-06-30', { from: '2025-07-01', to: '2026-06-30' }],
    ['from=junk&to=2026-03-15', { from: '2025-04-01', to: '2026-03-15' }],
  ])('%s', (query, expected) => {
    expect(periodFrom(new URLSearchParams(query), '2026-11-25')).toEqual(expected);
  });
});

describe('presetPeriod', () => {
  it.each([
    [1, '2026-11-01'],
    [3, '2026-09-01'],
    [12, '2025-12-01'],
    [24, '2024-12-01'],
  ])('%d months', (months, from) => {
    expect(presetPeriod(months, '2026-11-25')).toEqual({ from, to: '2026-11-25' });
  });
});

describe('reading metrics answers', () => {
  it.each([
    [{ points: [1, 2] }, 'points', [1, 2]],
    [{ items: [3] }, 'points', [3]],
    [{ points: 'x' }, 'points', []],
    [null, 'points', []],
  ])('listOf(%j, %s)', (body, key, expected) => {
    expect(listOf(body, key)).toEqual(expected);
  });

  it('takes the currency the answer names', () => {
    expect(currencyOf({ currency: 'EUR' })).toBe('EUR');
    expect(currencyOf({})).toBe('XOF');
  });
});

describe('monthsBetween', () => {
  it('clips the first and last month to the period', () => {
    expect(monthsBetween('2026-01-15', '2026-03-10')).toEqual([
      { month: '2026-01', from: '2026-01-15', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-10' },
    ]);
  });

  it('crosses a year and keeps at most 36 months, the latest', () => {
    expect(monthsBetween('2025-12-01', '2026-01-31').map((m) => m.month)).toEqual(['2025-12', '2026-01']);
    const long = monthsBetween('2020-01-01', '2026-11-25');
    expect(long).toHaveLength(36);
    expect(long.at(-1)?.month).toBe('2026-11');
  });

  it.each([
    ['2026-03-01', '2026-02-28'],
    ['2024-03-01', '2024-02-29'],
    ['2026-01-01', '2025-12-31'],
  ])('the day before %s is %s', (date, expected) => {
    expect(dayBefore(date)).toBe(expected);
  });
});
