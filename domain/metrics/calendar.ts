import { InvariantViolation } from '../shared/decider.ts';

/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. Metric dates are legal dates in the tenant's
 * (or the vendor's reporting) time zone, never instants, so the arithmetic is done on a day number
 * that has no time zone at all. No clock is read here: "today" always comes in as an argument.
 */
export type CalendarDate = string;
/** A calendar month, `YYYY-MM`. */
export type CalendarMonth = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthPattern = /^(\d{4})-(\d{2})$/;
const msPerDay = 86_400_000;

/** Days since 1970-01-01 for a calendar date; refuses dates that do not exist (2025-02-30). */
export function dayNumber(date: CalendarDate): number {
  const match = datePattern.exec(date);
  if (match === null) throw new InvariantViolation(`not a calendar date (YYYY-MM-DD): ${date}`);
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const day = ms / msPerDay;
  if (fromDayNumber(day) !== date) throw new InvariantViolation(`no such calendar date: ${date}`);
  return day;
}

export function fromDayNumber(day: number): CalendarDate {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function monthOf(date: CalendarDate): CalendarMonth {
  dayNumber(date);
  return date.slice(0, 7);
}

function monthParts(month: CalendarMonth): { year: number; month: number } {
  const match = monthPattern.exec(month);
  if (match === null) throw new InvariantViolation(`not a calendar month (YYYY-MM): ${month}`);
  const monthNumber = Number(match[2]);
  if (monthNumber < 1 || monthNumber > 12) throw new InvariantViolation(`no such month: ${month}`);
  return { year: Number(match[1]), month: monthNumber };
}

export function addMonths(month: CalendarMonth, count: number): CalendarMonth {
  const { year, month: m } = monthParts(month);
  const index = year * 12 + (m - 1) + count;
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, '0')}-${String(index - y * 12 + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` ("2025-01" → "2025-03" is 2). */
export function monthsBetween(from: CalendarMonth, to: CalendarMonth): number {
  const a = monthParts(from);
  const b = monthParts(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

export function firstDayOfMonth(month: CalendarMonth): CalendarDate {
  monthParts(month);
  return `${month}-01`;
}

export function lastDayOfMonth(month: CalendarMonth): CalendarDate {
  return addDays(firstDayOfMonth(addMonths(month, 1)), -1);
}

/**
 * Whole calendar months from `from` to `to`, counting a month only once its day-of-month is
 * reached (2025-01-31 → 2025-02-28 is 0 months, → 2025-03-31 is 2). Used for tenure.
 */
export function wholeMonthsBetween(from: CalendarDate, to: CalendarDate): number {
  const months = monthsBetween(monthOf(from), monthOf(to));
  const dayFrom = Number(from.slice(8, 10));
  const dayTo = Number(to.slice(8, 10));
  return dayTo >= dayFrom ? months : months - 1;
}
