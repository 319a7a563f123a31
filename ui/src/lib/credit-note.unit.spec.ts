// Proves the credit-note form asks the API for exactly what the person typed: everything left, or a
// positive net amount in minor units, and shows what is still creditable before tax.
import { describe, expect, it } from 'vitest';
import { creditableNet, creditNoteRequest } from './credit-note.ts';

const xof = (amountMinor: string) => ({ amountMinor, currency: 'XOF' });
const note = (net: string) => ({
  creditNoteId: `cn-${net}`,
  number: 'AV-2026-000001',
  issuedOn: '2026-11-25',
  reason: 'x',
  net: xof(net),
  tax: xof('0'),
  total: xof(net),
});

describe('creditableNet', () => {
  it.each([
    ['no credit note', xof('40000'), [], '40000'],
    ['two partial credit notes', xof('40000'), [note('10000'), note('5000')], '25000'],
    ['everything credited', xof('40000'), [note('40000')], '0'],
    ['beyond 2^53 stays exact', xof('9007199254740993'), [note('1')], '9007199254740992'],
  ])('%s', (_name, subtotal, creditNotes, expected) => {
    expect(creditableNet({ subtotal, creditNotes })).toBe(expected);
  });

  it('is null for a draft', () => {
    expect(creditableNet({ subtotal: null, creditNotes: [] })).toBeNull();
  });
});

describe('creditNoteRequest', () => {
  it.each([
    ['full, whatever the amount field holds', 'full', 'abc', 'XOF', { kind: 'full' }],
    ['partial in francs', 'partial', '10 000', 'XOF', { kind: 'partial', net: xof('10000') }],
    [
      'partial in euros with a comma',
      'partial',
      '12,50',
      'EUR',
      { kind: 'partial', net: { amountMinor: '1250', currency: 'EUR' } },
    ],
    ['zero', 'partial', '0', 'XOF', null],
    ['negative', 'partial', '-5', 'XOF', null],
    ['not a number', 'partial', 'dix', 'XOF', null],
    ['a fraction of a franc', 'partial', '10,5', 'XOF', null],
  ] as const)('%s', (_name, kind, amount, currency, credit) => {
    const request = creditNoteRequest({ kind, amount, reason: '  Geste commercial ', currency });
    expect(request).toEqual(credit === null ? null : { reason: 'Geste commercial', credit });
  });
});
