// Proves the month arithmetic behind churn windows, cohorts and tenure: month steps across years and whole months that respect short months.
import { describe, expect, it } from 'vitest';
import { addMonths, lastDayOfMonth, monthOf, monthsBetween, wholeMonthsBetween } from './calendar.ts';

describe('months', () => {
  it('steps across year ends both ways', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(monthsBetween('2026-02', '2025-11')).toBe(-3);
  });

  it('knows the last day of each month, leap years included', () => {
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
  });

  it('refuses what is not a month or a date', () => {
    expect(() => monthsBetween('2026-13', '2026-01')).toThrow(/calendar month/);
    expect(() => monthOf('2026-02-30')).toThrow(/calendar date/);
  });
});

describe('wholeMonthsBetween', () => {
  it.each([
    ['2026-01-15', '2026-01-15', 0],
    ['2026-01-15', '2026-02-14', 0],
    ['2026-01-15', '2026-02-15', 1],
    ['2026-01-31', '2026-02-27', 0],
    ['2026-01-31', '2026-02-28', 1],
    ['2025-03-01', '2026-02-28', 11],
    ['2025-03-01', '2026-03-01', 12],
    ['2026-03-01', '2026-02-01', -1],
  ] as const)('%s → %s is %i', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });
});
