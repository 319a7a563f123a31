// Proves trial-to-paid conversion: trials count in the period of their outcome, and running trials are pending rather than lost.
import { describe, expect, it } from 'vitest';
import { type TrialInput, trialConversion } from './conversion.ts';

const trials: TrialInput[] = [
  { subscriptionId: 's1', startedOn: '2026-02-20', outcome: { kind: 'converted', on: '2026-03-06' } },
  { subscriptionId: 's2', startedOn: '2026-03-01', outcome: { kind: 'converted', on: '2026-03-15' } },
  { subscriptionId: 's3', startedOn: '2026-03-02', outcome: { kind: 'lapsed', on: '2026-03-16' } },
  { subscriptionId: 's4', startedOn: '2026-03-25', outcome: { kind: 'running' } },
  { subscriptionId: 's5', startedOn: '2026-03-28', outcome: { kind: 'converted', on: '2026-04-11' } },
  { subscriptionId: 's6', startedOn: '2026-01-01', outcome: { kind: 'lapsed', on: '2026-01-15' } },
  { subscriptionId: 's7', startedOn: '2026-04-02', outcome: { kind: 'running' } },
];

describe('trialConversion', () => {
  it('counts March outcomes, and trials undecided at the end of March as pending', () => {
    const march = trialConversion(trials, '2026-03-01', '2026-03-31');
    expect(march).toMatchObject({ converted: 2, lapsed: 1, pending: 2 });
    expect(march.rate?.toSignificantDigits(4).toString()).toBe('0.6667');
  });

  it('has no rate when no trial ended in the period', () => {
    expect(trialConversion(trials, '2026-02-01', '2026-02-28')).toMatchObject({ rate: null, pending: 1 });
  });

  it('refuses a trial that ends before it starts', () => {
    expect(() =>
      trialConversion(
        [{ subscriptionId: 'x', startedOn: '2026-03-10', outcome: { kind: 'lapsed', on: '2026-03-01' } }],
        '2026-03-01',
        '2026-03-31',
      ),
    ).toThrow(/ends before it starts/);
  });
});
