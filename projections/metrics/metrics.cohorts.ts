import { type Kysely, sql } from 'kysely';
import {
  amount,
  type CalendarMonth,
  type Cohort,
  type CohortMovementInput,
  cohortRetention,
  firstDayOfMonth,
  lastDayOfMonth,
  type MovementKind,
} from '../../domain/metrics/index.ts';
import type { MetricsTables } from './metrics.table.ts';

/**
 * Monthly cohort retention from the per-day, per-tenant classified changes (`rm_mrr_days`):
 * the tenants whose `new` movement (first paid MRR) falls in a month of the range, followed month
 * by month up to the range's last month by `domain/metrics/cohorts.ts`. Definitions:
 * docs/metrics.md § Monthly cohort retention.
 */

/** A named limit on the movements read for one triangle; a wider one asks for a narrower range. */
export const cohortMovementsMax = 50_000;

/** Raised when the cohorts of a range have more movements than `cohortMovementsMax`. */
export class CohortRangeTooLarge extends Error {
  override readonly name = 'CohortRangeTooLarge';
  constructor() {
    super(`the cohorts of this range have more than ${cohortMovementsMax} MRR movements; narrow the range`);
  }
}

/**
 * The cohorts of the months `from`..`to` (both included) in one currency, each followed to the end
 * of `to` (the month so far when `to` is the current one). Tenants who first paid before `from`
 * belong to earlier cohorts and are left out.
 */
export async function cohortsBetween(
  db: Kysely<MetricsTables>,
  from: CalendarMonth,
  to: CalendarMonth,
  currency: string,
): Promise<Cohort[]> {
  const start = firstDayOfMonth(from);
  const end = lastDayOfMonth(to);
  const { rows } = await sql<{ tenant_id: string; day: string; movement: MovementKind; delta: string }>`
    SELECT d.tenant_id, to_char(d.day, 'YYYY-MM-DD') AS day, d.movement,
           (d.arr_end_minor - d.arr_start_minor)::text AS delta
      FROM rm_mrr_days AS d
     WHERE d.currency = ${currency} AND d.movement IS NOT NULL AND d.day <= ${end}::date
       AND d.tenant_id IN (
         SELECT tenant_id FROM rm_mrr_days
          WHERE currency = ${currency} AND movement = 'new' AND day BETWEEN ${start}::date AND ${end}::date)
     ORDER BY d.day, d.tenant_id
     LIMIT ${cohortMovementsMax + 1}`.execute(db);
  if (rows.length > cohortMovementsMax) throw new CohortRangeTooLarge();
  // The rows hold ARR changes; MRR is ARR / 12, divided once per movement and kept exact.
  const movements: CohortMovementInput[] = rows.map((r) => ({
    tenantId: r.tenant_id,
    on: r.day,
    kind: r.movement,
    amountMinor: amount(r.delta).dividedBy(12),
  }));
  return cohortRetention(movements, to).filter((cohort) => cohort.month >= from);
}
