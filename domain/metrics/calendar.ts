import { InvariantViolation } from '../shared/decider.ts';
import {
  addDays,
  addMonths as addMonthsToDate,
  type CalendarDate,
  daysBetween,
  fromDayNumber,
  parseCalendarDate,
  toDayNumber,
} from '../shared/calendar-date.ts';

/**
 * Calendar arithmetic the metrics need: the shared calendar dates (`YYYY-MM-DD`, day numbers with
 * no time zone) plus calendar months (`YYYY-MM`), the unit of churn windows and cohorts. Metric
 * dates are legal dates in the reporting time zone, never instants; no clock is read here.
 */
export { addDays, type CalendarDate, daysBetween, fromDayNumber };

/** A calendar month, `YYYY-MM`. */
export type CalendarMonth = string;

/** Days since 1970-01-01; throws on a date that does not exist (2025-02-30). */
export function dayNumber(date: CalendarDate): number {
  return toDayNumber(date);
}

export function monthOf(date: CalendarDate): CalendarMonth {
  if (parseCalendarDate(date) === null) throw new InvariantViolation(`not a calendar date: ${date}`);
  return date.slice(0, 7);
}

const monthPattern = /^(\d{4})-(\d{2})$/;

function monthIndex(month: CalendarMonth): number {
  const match = monthPattern.exec(month);
  const m = match === null ? 0 : Number(match[2]);
  if (match === null || m < 1 || m > 12)
    throw new InvariantViolation(`not a calendar month (YYYY-MM): ${month}`);
  return Number(match[1]) * 12 + (m - 1);
}

export function addMonths(month: CalendarMonth, count: number): CalendarMonth {
  const index = monthIndex(month) + count;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` ("2025-01" → "2025-03" is 2). */
export function monthsBetween(from: CalendarMonth, to: CalendarMonth): number {
  return monthIndex(to) - monthIndex(from);
}

export function firstDayOfMonth(month: CalendarMonth): CalendarDate {
  monthIndex(month);
  return `${month}-01`;
}

export function lastDayOfMonth(month: CalendarMonth): CalendarDate {
  return addDays(firstDayOfMonth(addMonths(month, 1)), -1);
}

/**
 * Whole months from `from` to `to`: the largest n with `from` + n months on or before `to`
 * (2025-01-31 → 2025-02-28 is 1, since adding a month to 31 January lands on 28 February).
 */
export function wholeMonthsBetween(from: CalendarDate, to: CalendarDate): number {
  let months = monthsBetween(monthOf(from), monthOf(to));
  while (months > 0 && toDayNumber(addMonthsToDate(from, months)) > toDayNumber(to)) months -= 1;
  while (months < 0 && toDayNumber(addMonthsToDate(from, months + 1)) <= toDayNumber(to)) months += 1;
  return months;
}
