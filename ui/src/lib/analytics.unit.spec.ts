// Proves the analytics period: defaults to the last twelve months, keeps a valid range, and presets count whole months.
import { describe, expect, it } from 'vitest';
import { currencyOf, listOf, periodFrom, presetPeriod } from './analytics.ts';

describe('periodFrom', () => {
  it.each([
    ['', { from: '2025-11-01', to: '2026-11-25' }],
    ['from=2026-01-01&to=2026-06-30', { from: '2026-01-01', to: '2026-06-30' }],
    ['from=2026-07-01&to=2026-06-30', { from: '2025-06-01', to: '2026-06-30' }],
    ['from=junk&to=2026-03-15', { from: '2025-03-01', to: '2026-03-15' }],
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
