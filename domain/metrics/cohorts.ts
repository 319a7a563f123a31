import type { Decimal } from 'decimal.js';
import { InvariantViolation } from '../shared/decider.ts';
import {
  addMonths,
  type CalendarMonth,
  dayNumber,
  lastDayOfMonth,
  monthOf,
  monthsBetween,
} from './calendar.ts';
import { amount, MetricDecimal, sum, ZERO } from './decimal.ts';
import type { MovementKind } from './movements.ts';
import type { TenantMovementInput } from './churn.ts';

/**
 * Monthly cohort retention: tenants grouped by the month of their `new` movement (their first
 * paid MRR), followed month by month. Definitions: docs/metrics.md § Cohort retention.
 */
export interface CohortMovementInput extends TenantMovementInput {
  readonly kind: MovementKind;
}

export interface CohortCell {
  /** Months since the cohort month: 0 is the cohort month itself. */
  readonly offset: number;
  readonly month: CalendarMonth;
  /** Cohort tenants with MRR above zero at the end of `month`. */
  readonly payingCustomers: number;
  /** Their MRR at the end of `month`. */
  readonly mrrMinor: Decimal;
  /** payingCustomers ÷ cohort size. */
  readonly customerRetention: Decimal;
  /** mrrMinor ÷ the cohort's starting MRR; above 1 when expansion outweighs churn. */
  readonly revenueRetention: Decimal;
}

export interface Cohort {
  readonly month: CalendarMonth;
  readonly size: number;
  /** Sum of the cohort's `new` movements: what they paid when they joined. */
  readonly startingMrrMinor: Decimal;
  readonly cells: readonly CohortCell[];
}

/** A named limit on the triangle: ten years of cohorts by ten years of offsets. */
export const cohortMonthsMax = 120;

/**
 * The retention triangle up to and including `throughMonth` (usually the current month, whose
 * cells show the state so far). One currency; cohorts sorted by month.
 */
export function cohortRetention(
  movements: readonly CohortMovementInput[],
  throughMonth: CalendarMonth,
): Cohort[] {
  const byTenant = new Map<string, CohortMovementInput[]>();
  for (const movement of movements) {
    const list = byTenant.get(movement.tenantId) ?? [];
    list.push(movement);
    byTenant.set(movement.tenantId, list);
  }
  interface Member {
    readonly startingMrr: Decimal;
    readonly movements: readonly CohortMovementInput[];
  }
  const cohorts = new Map<CalendarMonth, Member[]>();
  for (const [tenantId, list] of byTenant) {
    const ordered = [...list].sort((a, b) => dayNumber(a.on) - dayNumber(b.on));
    const joined = ordered.filter((m) => m.kind === 'new');
    if (joined.length > 1)
      throw new InvariantViolation(`tenant ${tenantId} has ${joined.length} new movements`);
    const first = joined[0];
    if (first === undefined) continue;
    const month = monthOf(first.on);
    if (monthsBetween(month, throughMonth) < 0) continue;
    const members = cohorts.get(month) ?? [];
    members.push({ startingMrr: amount(first.amountMinor, 'amountMinor'), movements: ordered });
    cohorts.set(month, members);
  }
  const months = [...cohorts.keys()].sort();
  const earliest = months[0];
  if (earliest !== undefined && monthsBetween(earliest, throughMonth) >= cohortMonthsMax) {
    throw new InvariantViolation(`cohort triangle wider than ${cohortMonthsMax} months; narrow the range`);
  }
  return months.map((month) => {
    const members = cohorts.get(month) ?? [];
    const size = members.length;
    const startingMrrMinor = sum(members.map((m) => m.startingMrr));
    const cells: CohortCell[] = [];
    for (let offset = 0; offset <= monthsBetween(month, throughMonth); offset += 1) {
      const cellMonth = addMonths(month, offset);
      const endDay = dayNumber(lastDayOfMonth(cellMonth));
      let payingCustomers = 0;
      const mrrs: Decimal[] = [];
      for (const member of members) {
        let mrr = ZERO;
        for (const m of member.movements) {
          if (dayNumber(m.on) > endDay) break;
          mrr = mrr.plus(amount(m.amountMinor, 'amountMinor'));
        }
        if (mrr.greaterThan(0)) payingCustomers += 1;
        mrrs.push(mrr);
      }
      const mrrMinor = sum(mrrs);
      cells.push({
        offset,
        month: cellMonth,
        payingCustomers,
        mrrMinor,
        customerRetention: new MetricDecimal(payingCustomers).dividedBy(size),
        revenueRetention: startingMrrMinor.isZero() ? ZERO : mrrMinor.dividedBy(startingMrrMinor),
      });
    }
    return { month, size, startingMrrMinor, cells };
  });
}
