// Proves a promise to pay reads as kept once the promised money arrived (or nothing is left due),
// broken once its day is over or the invoice written off, and active until then.
import { describe, expect, it } from 'vitest';
import { type PromiseProgress, type PromiseStatus, promiseStatus } from './promise-status.ts';

const promise = (overrides: Partial<PromiseProgress> = {}): PromiseProgress => ({
  promisedOn: '2026-02-20',
  amountMinor: 10_000n,
  paidSinceMinor: 0n,
  amountDueMinor: 17_700n,
  writtenOff: false,
  ...overrides,
});

describe('promiseStatus', () => {
  const table: ReadonlyArray<readonly [string, PromiseProgress, string, PromiseStatus]> = [
    ['nothing paid, before the day', promise(), '2026-02-10', 'active'],
    ['nothing paid, on the day itself', promise(), '2026-02-20', 'active'],
    ['nothing paid, the day after', promise(), '2026-02-21', 'broken'],
    ['part paid, the day after', promise({ paidSinceMinor: 9_999n }), '2026-02-21', 'broken'],
    ['the promised amount paid before the day', promise({ paidSinceMinor: 10_000n }), '2026-02-15', 'kept'],
    [
      'the promised amount paid late: the money came',
      promise({ paidSinceMinor: 12_000n }),
      '2026-03-15',
      'kept',
    ],
    ['a credit note left nothing due', promise({ amountDueMinor: 0n }), '2026-03-15', 'kept'],
    ['written off before the day', promise({ writtenOff: true, amountDueMinor: 0n }), '2026-02-10', 'broken'],
  ];

  it.each(table)('%s → %s', (_name, progress, today, status) => {
    expect(promiseStatus(progress, today)).toBe(status);
  });

  it('refuses a promise of nothing: the decider never records one', () => {
    expect(() => promiseStatus(promise({ amountMinor: 0n }), '2026-02-10')).toThrow(/never negative/);
  });
});
