// Proves the shared wire helpers keep amounts exact in both directions, read signature headers
// strictly, and give payment ids that fit every provider's reference field.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../../domain/money/index.ts';
import { notificationUrl, paymentIdFor } from './flow.ts';
import {
  amountFromProvider,
  constantTimeEqualHex,
  exactNumber,
  jsonWithExactNumbers,
  parseTimestampedSignature,
} from './wire.ts';

describe('exact amounts on the wire', () => {
  it('writes an amount as a bare JSON number from its digits, beyond what a double holds', () => {
    const text = jsonWithExactNumbers({ amount: exactNumber('123456789012345678901'), note: 'x' });
    expect(text).toBe('{"amount":123456789012345678901,"note":"x"}');
  });

  it('leaves user text that looks like a placeholder alone', () => {
    const text = jsonWithExactNumbers({
      description: '"00000000-0000-0000-0000-000000000000:5"',
      amount: exactNumber('5'),
    });
    expect(text).toBe('{"description":"\\"00000000-0000-0000-0000-000000000000:5\\"","amount":5}');
  });

  it('reads provider amounts as strings or safe integers only', () => {
    expect(amountFromProvider('11800', 'XOF')).toEqual(moneyOf('11800', 'XOF'));
    expect(amountFromProvider(11800, 'XOF')).toEqual(moneyOf('11800', 'XOF'));
    expect(amountFromProvider('45.16', 'EUR')).toEqual(moneyOf('45.16', 'EUR'));
    expect(amountFromProvider(2 ** 53, 'XOF')).toBeNull();
    expect(amountFromProvider(118.5, 'XOF')).toBeNull();
    expect(amountFromProvider('118.5', 'XOF')).toBeNull();
    expect(amountFromProvider('11 800', 'XOF')).toBeNull();
    expect(amountFromProvider('11800', 'FCFA')).toBeNull();
  });
});

describe('signature header', () => {
  it('reads t and every v1, ignoring other schemes', () => {
    expect(parseTimestampedSignature('t=1700000000,v0=abc,v1=aa,v1=bb')).toEqual({
      timestamp: '1700000000',
      signatures: ['aa', 'bb'],
    });
  });

  it.each(['', 't=1', 'v1=aa', 't=x,v1=aa', 't=1,t=2,v1=aa', 'garbage', `t=1,${'v1=aa,'.repeat(11)}`])(
    'refuses %j',
    (header) => {
      expect(parseTimestampedSignature(header)).toBeNull();
    },
  );

  it('compares digests only when both are hex of the same length', () => {
    expect(constantTimeEqualHex('abcd', 'ABCD')).toBe(true);
    expect(constantTimeEqualHex('abcd', 'abce')).toBe(false);
    expect(constantTimeEqualHex('abcd', 'abcdab')).toBe(false);
    expect(constantTimeEqualHex('abcd', 'zzzz')).toBe(false);
    expect(constantTimeEqualHex('abcd', undefined)).toBe(false);
  });
});

describe('payment ids and URLs', () => {
  it('derives a stable id from the idempotency key that fits Orange Money order_id (30 characters)', () => {
    const id = paymentIdFor('portal:tenant-1:2026-03-01:checkout-7');
    expect(id).toBe(paymentIdFor('portal:tenant-1:2026-03-01:checkout-7'));
    expect(id).not.toBe(paymentIdFor('portal:tenant-1:2026-03-01:checkout-8'));
    expect(id.length).toBeLessThanOrEqual(30);
    expect(notificationUrl('https://ledger.example.sn/', 'orange_money', id)).toBe(
      `https://ledger.example.sn/webhooks/payments/orange_money/${id}`,
    );
  });
});
