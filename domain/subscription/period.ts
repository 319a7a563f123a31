import { monthsPerInterval, type BillingInterval } from '../catalog/plan.ts';
import { addMonths, type CalendarDate, daysBetween } from '../shared/calendar-date.ts';

/**
 * Billing periods are half-open ranges of calendar dates, `[start, end)`: a monthly period that
 * starts on 1 January ends on (and does not include) 1 February, so it has 31 days and the next
 * one starts where it ends.
 */
export interface Period {
  readonly start: CalendarDate;
  readonly end: CalendarDate;
}

/**
 * The period number `index` counted from the anchor date. Always computed from the anchor, never by
 * adding an interval to the previous end, so a subscription anchored on 31 January bills
 * 28 February → 31 March → 30 April, not 28 February → 28 March for ever. Index −1 is the period
 * that ends on the anchor: it holds a first, shorter stretch when the anchor is after the start.
 */
export function periodAt(anchorDate: CalendarDate, interval: BillingInterval, index: number): Period {
  const months = monthsPerInterval(interval);
  return { start: addMonths(anchorDate, index * months), end: addMonths(anchorDate, (index + 1) * months) };
}

export function periodDays(period: Period): number {
  return daysBetween(period.start, period.end);
}
