// Proves calendar-date arithmetic: validation, day numbers, day and month addition with end-of-month clamping, and days between.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  calendarDateSchema,
  compareDates,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  isCalendarDate,
  toDayNumber,
} from './calendar-date.ts';

describe('calendar dates', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31'])('%s is a date', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-1',
    '26-01-01',
    '2026-01-01T00:00:00Z',
    '',
    '20026-01-01',
  ])('%j is not a date', (text) => {
    expect(isCalendarDate(text)).toBe(false);
    expect(calendarDateSchema.safeParse(text).success).toBe(false);
  });

  it('numbers days from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11017);
    expect(fromDayNumber(11017)).toBe('2000-03-01');
  });

  it('agrees with an independent count for every day from 1900 to 2999', () => {
    let dayNumber = toDayNumber('1900-01-01');
    for (let year = 1900; year <= 2999; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 1; day <= daysInMonth(year, month); day += 1) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          if (toDayNumber(text) !== dayNumber || fromDayNumber(dayNumber) !== text) {
            throw new Error(`mismatch at ${text}`);
          }
          dayNumber += 1;
        }
      }
    }
    expect(fromDayNumber(dayNumber)).toBe('3000-01-01');
  });

  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-15', -15, '2025-12-31'],
    ['2026-01-01', 14, '2026-01-15'],
  ])('%s + %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-15', 12, '2027-01-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-10', -1, '2025-12-10'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('%s + %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts days between', () => {
    expect(daysBetween('2026-01-01', '2026-01-15')).toBe(14);
    expect(daysBetween('2026-01-01', '2026-02-01')).toBe(31);
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
    expect(daysBetween('2026-01-15', '2026-01-01')).toBe(-14);
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
  });

  it('adds then counts back the same number of days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 36_000 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        (start, days) => {
          const date = fromDayNumber(start);
          expect(daysBetween(date, addDays(date, days))).toBe(days);
        },
      ),
    );
  });

  it('never moves past the end of the target month when adding months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: -240, max: 240 }),
        (start, months) => {
          const date = fromDayNumber(start);
          const moved = addMonths(date, months);
          expect(isCalendarDate(moved)).toBe(true);
          expect(Number(moved.slice(8)) <= Number(date.slice(8))).toBe(true);
        },
      ),
    );
  });
});
