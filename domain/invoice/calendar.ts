import { InvariantViolation } from '../shared/decider.ts';

/**
 * Calendar dates (`YYYY-MM-DD`) as the law reads them: an invoice is issued and falls due on a day
 * in the tenant's time zone, not at an instant. The arithmetic below works on the date alone (UTC
 * noon is never involved), so no time zone or daylight-saving rule can shift a due date.
 */
export type CalendarDate = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = datePattern.exec(value);
  if (match === null) return false;
  const [, year = '', month = '', day = ''] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}

function assertCalendarDate(value: string): void {
  if (!isCalendarDate(value)) throw new InvariantViolation(`not a calendar date: ${JSON.stringify(value)}`);
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  assertCalendarDate(date);
  if (!Number.isInteger(days)) throw new InvariantViolation(`days must be an integer, got ${days}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The calendar year a date falls in (the year of an invoice number). */
export function yearOf(date: CalendarDate): number {
  assertCalendarDate(date);
  return Number(date.slice(0, 4));
}

/** Zero-padded ISO dates order like strings; this names that fact at the call sites. */
export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return a < b;
}

export function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return a > b;
}
