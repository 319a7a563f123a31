// Proves the people-facing spelling of amounts, code point by code point, in French and English.
import { describe, expect, it } from 'vitest';
import { formatMoney, money, moneyOf } from './index.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatMoney in French', () => {
  it.each([
    [moneyOf('15000', 'XOF'), `15${NNBSP}000${NBSP}FCFA`],
    [moneyOf('45000', 'XAF'), `45${NNBSP}000${NBSP}FCFA`],
    [moneyOf('1500000', 'XOF'), `1${NNBSP}500${NNBSP}000${NBSP}FCFA`],
    [moneyOf('999', 'XOF'), `999${NBSP}FCFA`],
    [moneyOf('0', 'XOF'), `0${NBSP}FCFA`],
    [moneyOf('-15000', 'XOF'), `-15${NNBSP}000${NBSP}FCFA`],
    [moneyOf('45.16', 'EUR'), `45,16${NBSP}€`],
    [moneyOf('1234.5', 'EUR'), `1${NNBSP}234,50${NBSP}€`],
    [money(5n, 'EUR'), `0,05${NBSP}€`],
    [moneyOf('12', 'GNF'), `12${NBSP}FG`],
    [moneyOf('12.5', 'MAD'), `12,50${NBSP}MAD`],
  ])('%o is %j', (amount, expected) => {
    expect(formatMoney(amount, 'fr')).toBe(expected);
  });

  it('uses plain spaces on request', () => {
    expect(formatMoney(moneyOf('15000', 'XOF'), 'fr', { spaces: 'ascii' })).toBe('15 000 FCFA');
    expect(formatMoney(moneyOf('45.16', 'EUR'), 'fr', { spaces: 'ascii' })).toBe('45,16 €');
  });
});

describe('formatMoney in English', () => {
  it.each([
    [moneyOf('15000', 'XOF'), `XOF${NBSP}15,000`],
    [moneyOf('-15000', 'XOF'), `-XOF${NBSP}15,000`],
    [moneyOf('45.16', 'EUR'), '€45.16'],
    [moneyOf('-45.16', 'EUR'), '-€45.16'],
    [moneyOf('1234567.8', 'USD'), '$1,234,567.80'],
    [moneyOf('1.5', 'TND'), `TND${NBSP}1.500`],
  ])('%o is %j', (amount, expected) => {
    expect(formatMoney(amount, 'en')).toBe(expected);
  });

  it('uses a plain space on request', () => {
    expect(formatMoney(moneyOf('15000', 'XOF'), 'en', { spaces: 'ascii' })).toBe('XOF 15,000');
  });
});
