// Proves monthly cohort retention: tenants grouped by the month they first paid, customer and revenue retention at each month end.
import { describe, expect, it } from 'vitest';
import { type CohortMovementInput, cohortMonthsMax, cohortRetention } from './cohorts.ts';

const movements: CohortMovementInput[] = [
  // January cohort: a, b, c, 30 000 between them.
  { tenantId: 'a', kind: 'new', on: '2026-01-05', amountMinor: '10000' },
  { tenantId: 'b', kind: 'new', on: '2026-01-20', amountMinor: '10000' },
  { tenantId: 'c', kind: 'new', on: '2026-01-31', amountMinor: '10000' },
  { tenantId: 'b', kind: 'churn', on: '2026-02-14', amountMinor: '-10000' },
  { tenantId: 'a', kind: 'expansion', on: '2026-03-01', amountMinor: '5000' },
  { tenantId: 'b', kind: 'reactivation', on: '2026-03-10', amountMinor: '4000' },
  // February cohort: d.
  { tenantId: 'd', kind: 'new', on: '2026-02-01', amountMinor: '7000' },
  // April: after the triangle ends.
  { tenantId: 'e', kind: 'new', on: '2026-04-01', amountMinor: '7000' },
];

describe('cohortRetention', () => {
  it('follows each cohort to the last month asked for', () => {
    const cohorts = cohortRetention(movements, '2026-03');
    expect(cohorts.map((c) => [c.month, c.size, c.startingMrrMinor.toString(), c.cells.length])).toEqual([
      ['2026-01', 3, '30000', 3],
      ['2026-02', 1, '7000', 2],
    ]);
    const january = cohorts[0]!;
    expect(
      january.cells.map((cell) => [
        cell.month,
        cell.payingCustomers,
        cell.mrrMinor.toString(),
        cell.customerRetention.toSignificantDigits(4).toString(),
        cell.revenueRetention.toSignificantDigits(4).toString(),
      ]),
    ).toEqual([
      ['2026-01', 3, '30000', '1', '1'],
      ['2026-02', 2, '20000', '0.6667', '0.6667'],
      // b came back on a smaller plan and a grew: every customer pays again, revenue is still short.
      ['2026-03', 3, '29000', '1', '0.9667'],
    ]);
  });

  it('is empty before anyone paid and refuses a triangle over the limit', () => {
    expect(cohortRetention(movements, '2025-12')).toEqual([]);
    expect(() => cohortRetention(movements, `${2026 + cohortMonthsMax / 12}-01`)).toThrow(/wider than/);
  });

  it('refuses a tenant acquired twice', () => {
    expect(() =>
      cohortRetention(
        [
          { tenantId: 'a', kind: 'new', on: '2026-01-05', amountMinor: '1' },
          { tenantId: 'a', kind: 'new', on: '2026-02-05', amountMinor: '1' },
        ],
        '2026-03',
      ),
    ).toThrow(/2 new movements/);
  });
});
