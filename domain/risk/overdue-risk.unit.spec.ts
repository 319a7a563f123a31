// Proves the overdue risk score: bands from a table of tenants, each factor's points shown beside the score, and monotonicity in every factor for every input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../metrics/calendar.ts';
import { type OverdueRiskInput, riskBand, riskFactors, scoreOverdueRisk } from './overdue-risk.ts';

const asOf = '2026-06-30';

/** A long-standing tenant who always pays on time, with one ordinary invoice due today. */
function tenant(overrides: Partial<OverdueRiskInput> = {}): OverdueRiskInput {
  return {
    tenantId: 'tenant-1',
    asOf,
    currency: 'XOF',
    amountDueMinor: '50000',
    oldestUnpaidDueOn: asOf,
    recentInvoiceTotalsMinor: ['50000', '50000', '45000', '50000'],
    settledInvoices: { count: 10, paidLateCount: 0 },
    failedPaymentAttempts: 0,
    remindersSent: 0,
    customerSince: '2023-01-15',
    usage: { last30DaysUnits: '1200', previous30DaysUnits: '1150' },
    ...overrides,
  };
}

function pointsByFactor(input: OverdueRiskInput): Record<string, number> {
  const risk = scoreOverdueRisk(input);
  if (risk === null) throw new Error('expected a score');
  return Object.fromEntries(risk.factors.map((f) => [f.factor, f.points]));
}

describe('bands', () => {
  it.each<[string, Partial<OverdueRiskInput>, number, string]>([
    ['due today, clean record', {}, 0, 'low'],
    ['3 days late, clean record', { oldestUnpaidDueOn: addDays(asOf, -3) }, 5, 'low'],
    [
      '20 days late, 2 of 10 paid late, one failed attempt, one reminder',
      {
        oldestUnpaidDueOn: addDays(asOf, -20),
        settledInvoices: { count: 10, paidLateCount: 2 },
        failedPaymentAttempts: 1,
        remindersSent: 1,
      },
      29,
      'medium',
    ],
    [
      '45 days late, twice the usual invoice, 3 of 10 late, 2 failed, 2 reminders',
      {
        oldestUnpaidDueOn: addDays(asOf, -45),
        amountDueMinor: '100000',
        settledInvoices: { count: 10, paidLateCount: 3 },
        failedPaymentAttempts: 2,
        remindersSent: 2,
      },
      55,
      'high',
    ],
    [
      'new tenant, 100 days late, 4 × usual, mostly late, 3 failed, 3 reminders, usage down 60 %',
      {
        oldestUnpaidDueOn: addDays(asOf, -100),
        amountDueMinor: '200000',
        settledInvoices: { count: 10, paidLateCount: 6 },
        failedPaymentAttempts: 3,
        remindersSent: 3,
        customerSince: '2026-05-01',
        usage: { last30DaysUnits: '400', previous30DaysUnits: '1000' },
      },
      100,
      'critical',
    ],
    [
      'first invoice, 10 days late: no history counts a little',
      {
        oldestUnpaidDueOn: addDays(asOf, -10),
        recentInvoiceTotalsMinor: [],
        settledInvoices: { count: 0, paidLateCount: 0 },
        customerSince: '2026-06-01',
        usage: null,
      },
      30,
      'medium',
    ],
  ])('%s: %i, %s', (_, overrides, score, band) => {
    const risk = scoreOverdueRisk(tenant(overrides));
    expect(risk?.score).toBe(score);
    expect(risk?.band).toBe(band);
  });

  it.each([
    [0, 'low'],
    [24, 'low'],
    [25, 'medium'],
    [49, 'medium'],
    [50, 'high'],
    [74, 'high'],
    [75, 'critical'],
    [100, 'critical'],
  ] as const)('a score of %i is %s', (score, band) => {
    expect(riskBand(score)).toBe(band);
  });
});

describe('explanations', () => {
  it('returns every factor in a fixed order, with what was observed and why it scored', () => {
    const risk = scoreOverdueRisk(
      tenant({
        oldestUnpaidDueOn: addDays(asOf, -45),
        amountDueMinor: '100000',
        settledInvoices: { count: 10, paidLateCount: 3 },
      }),
    );
    expect(risk?.factors.map((f) => f.factor)).toEqual([...riskFactors]);
    expect(risk?.modelVersion).toBe(1);
    expect(risk?.factors[0]).toEqual({
      factor: 'days_past_due',
      points: 26,
      pointsMax: 35,
      observed: '45',
      explanation: 'The oldest open invoice is 45 days past due.',
    });
    expect(risk?.factors[1]).toMatchObject({
      observed: '2',
      explanation: 'The amount due is 2 × the usual invoice.',
    });
    expect(risk?.factors[2]).toMatchObject({ points: 10, observed: '0.3' });
    expect(risk?.score).toBe(risk?.factors.reduce((t, f) => t + f.points, 0));
  });

  it('takes the median of recent invoices as usual, so one big invoice does not set the norm', () => {
    const points = pointsByFactor(tenant({ recentInvoiceTotalsMinor: ['50000', '900000', '50000'] }));
    expect(points.amount_vs_usual_invoice).toBe(0);
  });

  it('the maxima add up to 100', () => {
    const risk = scoreOverdueRisk(tenant());
    expect(risk?.factors.reduce((t, f) => t + f.pointsMax, 0)).toBe(100);
  });
});

describe('refusals and nothing due', () => {
  it('has no score when nothing is due', () => {
    expect(scoreOverdueRisk(tenant({ amountDueMinor: '0' }))).toBe(null);
    expect(scoreOverdueRisk(tenant({ amountDueMinor: '-500' }))).toBe(null);
  });

  it('refuses impossible inputs', () => {
    expect(() => scoreOverdueRisk(tenant({ settledInvoices: { count: 2, paidLateCount: 3 } }))).toThrow(
      /paid late/,
    );
    expect(() => scoreOverdueRisk(tenant({ failedPaymentAttempts: -1 }))).toThrow(/whole number/);
    expect(() => scoreOverdueRisk(tenant({ amountDueMinor: '5e4' }))).toThrow(/decimal string/);
  });
});

describe('for every tenant', () => {
  const input = fc.record({
    daysPastDue: fc.integer({ min: -30, max: 400 }),
    amountDueMinor: fc.bigInt({ min: 1n, max: 10_000_000n }),
    usualMinor: fc.array(fc.bigInt({ min: 0n, max: 5_000_000n }), { maxLength: 15 }),
    settled: fc.integer({ min: 0, max: 40 }),
    lateSeed: fc.nat(),
    failedPaymentAttempts: fc.integer({ min: 0, max: 8 }),
    remindersSent: fc.integer({ min: 0, max: 8 }),
    tenureDays: fc.integer({ min: 0, max: 2000 }),
    usage: fc.option(
      fc.record({
        last: fc.bigInt({ min: 0n, max: 10_000n }),
        previous: fc.bigInt({ min: 0n, max: 10_000n }),
      }),
    ),
  });
  type Generated = typeof input extends fc.Arbitrary<infer T> ? T : never;

  function build(g: Generated): OverdueRiskInput {
    return tenant({
      oldestUnpaidDueOn: addDays(asOf, -g.daysPastDue),
      amountDueMinor: String(g.amountDueMinor),
      recentInvoiceTotalsMinor: g.usualMinor.map(String),
      settledInvoices: { count: g.settled, paidLateCount: g.lateSeed % (g.settled + 1) },
      failedPaymentAttempts: g.failedPaymentAttempts,
      remindersSent: g.remindersSent,
      customerSince: addDays(asOf, -g.tenureDays),
      usage:
        g.usage === null
          ? null
          : { last30DaysUnits: String(g.usage.last), previous30DaysUnits: String(g.usage.previous) },
    });
  }

  function score(i: OverdueRiskInput): number {
    const risk = scoreOverdueRisk(i);
    if (risk === null) throw new Error('expected a score');
    return risk.score;
  }

  it('scores 0–100, the sum of the factors, each within its maximum', () => {
    fc.assert(
      fc.property(input, (g) => {
        const risk = scoreOverdueRisk(build(g))!;
        expect(risk.score).toBeGreaterThanOrEqual(0);
        expect(risk.score).toBeLessThanOrEqual(100);
        expect(risk.score).toBe(risk.factors.reduce((t, f) => t + f.points, 0));
        for (const f of risk.factors) expect(f.points).toBeLessThanOrEqual(f.pointsMax);
      }),
    );
  });

  it('more days past due never lowers the score', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 200 }), (g, more) => {
        expect(score(build({ ...g, daysPastDue: g.daysPastDue + more }))).toBeGreaterThanOrEqual(
          score(build(g)),
        );
      }),
    );
  });

  it('more failed attempts, more reminders or more late payments never lower the score', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 5 }), (g, more) => {
        const base = score(build(g));
        expect(
          score(build({ ...g, failedPaymentAttempts: g.failedPaymentAttempts + more })),
        ).toBeGreaterThanOrEqual(base);
        expect(score(build({ ...g, remindersSent: g.remindersSent + more }))).toBeGreaterThanOrEqual(base);
        const late = g.lateSeed % (g.settled + 1);
        const moreLate = Math.min(g.settled, late + more);
        expect(score(build({ ...g, lateSeed: moreLate }))).toBeGreaterThanOrEqual(base);
      }),
    );
  });

  it('a larger amount due never lowers the score; a longer tenure and more usage never raise it', () => {
    fc.assert(
      fc.property(
        input,
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        fc.integer({ min: 1, max: 900 }),
        (g, extra, days) => {
          const base = score(build(g));
          expect(score(build({ ...g, amountDueMinor: g.amountDueMinor + extra }))).toBeGreaterThanOrEqual(
            base,
          );
          expect(score(build({ ...g, tenureDays: g.tenureDays + days }))).toBeLessThanOrEqual(base);
          if (g.usage !== null) {
            const busier = { ...g.usage, last: g.usage.last + extra };
            expect(score(build({ ...g, usage: busier }))).toBeLessThanOrEqual(base);
          }
        },
      ),
    );
  });
});
