import { z } from 'zod';

/**
 * Calendar dates (`YYYY-MM-DD`) for legal and billing dates: issue and due dates, billing periods,
 * trial ends. A calendar date is a day on the tenant's wall calendar, not an instant, so it never
 * goes through `Date` (whose time zone and midnight handling would move a due date by a day).
 *
 * Arithmetic works on a day number (days since 1970-01-01 in the proleptic Gregorian calendar),
 * computed with integer formulas, so it is pure and identical on every machine.
 */
export type CalendarDate = string;

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The earliest and latest years we accept: a limit that catches typos like 20026. */
export const calendarYearMin = 1900;
export const calendarYearMax = 2999;

export interface CalendarParts {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The parts of a date, or null when the text is not a real date (`2026-02-30`, `2026-2-3`). */
export function parseCalendarDate(text: string): CalendarParts | null {
  const match = pattern.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < calendarYearMin || year > calendarYearMax) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== null;
}

export const calendarDateSchema = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD');

function partsOf(date: CalendarDate): CalendarParts {
  const parts = parseCalendarDate(date);
  // Dates reach the domain through schemas; an invalid one here is a bug, not user input.
  if (parts === null) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return parts;
}

export function formatCalendarDate(parts: CalendarParts): CalendarDate {
  return `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil, on integers). */
export function toDayNumber(date: CalendarDate): number {
  const { year, month, day } = partsOf(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of `toDayNumber` (civil_from_days). */
export function fromDayNumber(dayNumber: number): CalendarDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatCalendarDate({ year, month, day });
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Adds whole months, clamping to the end of a shorter month: 2026-01-31 + 1 month = 2026-02-28.
 * Clamping loses the anchor day, so billing periods are always computed from the anchor date
 * (`addMonths(anchor, k)`), never by adding one month to the previous period end: otherwise a
 * subscription anchored on the 31st would drift to the 28th for ever after February.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const { year, month, day } = partsOf(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  return formatCalendarDate({
    year: newYear,
    month: newMonth,
    day: Math.min(day, daysInMonth(newYear, newMonth)),
  });
}

/** Days from `from` to `to`: positive when `to` is later. 2026-01-01 → 2026-01-15 is 14. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) < 0;
}

export function isOnOrAfter(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) >= 0;
}
