// Proves the UI spells amounts, counts, percentages and calendar dates the way the invoices do.
import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatCount,
  formatDate,
  formatMonth,
  formatPercent,
  parseAmountInput,
  roundMinor,
} from './format.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatAmount', () => {
  it.each([
    ['15000', 'XOF', 'fr', `15${NNBSP}000${NBSP}FCFA`],
    ['1500000', 'XOF', 'fr', `1${NNBSP}500${NNBSP}000${NBSP}FCFA`],
    ['0', 'XOF', 'fr', `0${NBSP}FCFA`],
    ['-15000', 'XOF', 'fr', `-15${NNBSP}000${NBSP}FCFA`],
    ['4516', 'EUR', 'fr', `45,16${NBSP}€`],
    ['5', 'EUR', 'fr', `0,05${NBSP}€`],
    ['-0', 'XOF', 'fr', `0${NBSP}FCFA`],
    ['15000', 'XOF', 'en', `XOF${NBSP}15,000`],
    ['4516', 'EUR', 'en', '€45.16'],
    ['-4516', 'EUR', 'en', '-€45.16'],
    ['123456789012345678901', 'XOF', 'en', `XOF${NBSP}123,456,789,012,345,678,901`],
  ] as const)('%s %s in %s is %j', (minor, currency, locale, expected) => {
    expect(formatAmount(minor, currency, locale)).toBe(expected);
  });

  it('rounds a fractional minor amount (MRR) half away from zero before spelling it', () => {
    expect(formatAmount('1041.5', 'XOF', 'fr')).toBe(`1${NNBSP}042${NBSP}FCFA`);
  });

  it('refuses what is not an amount of minor units', () => {
    expect(() => formatAmount('12,5', 'XOF', 'fr')).toThrow();
  });
});

describe('roundMinor', () => {
  it.each([
    ['1041.5', '1042'],
    ['1041.49999', '1041'],
    ['999.5', '1000'],
    ['-999.5', '-1000'],
    ['12', '12'],
    ['0.4', '0'],
    ['1041.66666666666666666667', '1042'],
  ])('%s → %s', (minor, expected) => {
    expect(roundMinor(minor)).toBe(expected);
  });
});

describe('parseAmountInput', () => {
  it.each([
    ['15 000', 'XOF', '15000'],
    ['15000', 'XOF', '15000'],
    ['45,16', 'EUR', '4516'],
    ['45.1', 'EUR', '4510'],
    ['0', 'XOF', '0'],
    ['12,5', 'XOF', null],
    ['abc', 'XOF', null],
    ['', 'XOF', null],
  ] as const)('%j in %s is %j', (text, currency, expected) => {
    expect(parseAmountInput(text, currency)).toBe(expected);
  });
});

describe('counts, percentages and dates', () => {
  it.each([
    [() => formatCount(1250, 'fr'), `1${NNBSP}250`],
    [() => formatCount('1250', 'en'), '1,250'],
    [() => formatPercent('0.0425', 'fr'), `4,3${NNBSP}%`],
    [() => formatPercent(0.0425, 'en'), '4.3%'],
    [() => formatPercent(null, 'en'), '—'],
    [() => formatDate('2026-11-05', 'fr'), '05/11/2026'],
    [() => formatDate('2026-11-05', 'en'), '5 Nov 2026'],
    [() => formatDate(null, 'fr'), '—'],
    [() => formatMonth('2026-02', 'fr'), 'févr. 2026'],
    [() => formatMonth('2026-02', 'en'), 'Feb 2026'],
  ])('case %#', (run, expected) => {
    expect(run()).toBe(expected);
  });
});
