// Proves an invoice prints the seller identity in force on its issue day, so a later change of
// address or bank never alters the reprint of an older invoice.
import { describe, expect, it } from 'vitest';
import { type SellerIdentity, sellerIdentities, sellerOn } from './seller.ts';

const base = sellerIdentities[0]!;
const moved: SellerIdentity = {
  ...base,
  validFrom: '2027-03-01',
  addressLines: ['Nouvelle adresse', 'Dakar'],
};
const history = [moved, base];

describe('sellerOn', () => {
  it.each([
    ['2026-11-20', base.addressLines],
    ['2027-02-28', base.addressLines],
    ['2027-03-01', moved.addressLines],
    ['2030-01-01', moved.addressLines],
  ])('on %s prints the identity then in force', (day, lines) => {
    expect(sellerOn(day, history).addressLines).toEqual(lines);
  });

  it('refuses a day before any identity', () => {
    expect(() => sellerOn('2023-12-31', history)).toThrow(/no seller identity/);
  });
});
