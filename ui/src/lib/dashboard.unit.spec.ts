// Proves the dashboard's exact sums and its revenue churn ratio from the metrics API's strings.
import { describe, expect, it } from 'vitest';
import { revenueChurnRate, sumMinor } from './dashboard.ts';

describe('sumMinor', () => {
  it.each([
    [[], '0'],
    [['15000', '2500'], '17500'],
    [['1041.5', '-500'], '542'],
    [['9007199254740993', '1'], '9007199254740994'],
  ])('%j → %s', (amounts, expected) => {
    expect(sumMinor(amounts)).toBe(expected);
  });
});

describe('revenueChurnRate', () => {
  it.each([
    ['100000', { churn: '-5000', contraction: '-1000' }, '0.060000'],
    ['100000', { new: '20000' }, '0.000000'],
    ['0', { churn: '-5000' }, null],
    ['300000', { churn: '-1000' }, '0.003333'],
    ['1041.5', { churn: '-1042' }, '1.000000'],
  ])('start %s, %j → %s', (start, byKind, expected) => {
    expect(revenueChurnRate(start, byKind)).toBe(expected);
  });
});
