import type { Decimal } from 'decimal.js';
import { InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, dayNumber, fromDayNumber } from './calendar.ts';
import { type AmountInput, amount, ZERO } from './decimal.ts';

/**
 * Daily time series from dated changes: MRR from MRR movements, active customers from customer
 * count deltas, anything that is "a value that moves by known amounts on known days". The value
 * on a date is the value at the end of that day: the opening value plus every change dated on or
 * before it. Definitions: docs/metrics.md § Time series.
 */
export interface DatedChange {
  readonly on: CalendarDate;
  readonly delta: AmountInput;
}

export interface SeriesPoint {
  readonly date: CalendarDate;
  readonly value: Decimal;
}

/** A named limit: ten years and a bit of days per request, so one query cannot ask for millions. */
export const seriesDaysMax = 3_700;

/** The value as it stood at the end of `date`. `opening` is the value before the first change. */
export function valueOn(
  changes: Iterable<DatedChange>,
  date: CalendarDate,
  opening: AmountInput = ZERO,
): Decimal {
  const day = dayNumber(date);
  let value = amount(opening, 'opening');
  for (const change of changes) {
    if (dayNumber(change.on) <= day) value = value.plus(amount(change.delta, 'delta'));
  }
  return value;
}

/**
 * One point per calendar day from `from` to `to` inclusive. Changes before `from` fold into the
 * first point; changes after `to` are ignored. The input order does not matter.
 */
export function dailySeries(args: {
  readonly changes: Iterable<DatedChange>;
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly opening?: AmountInput;
}): SeriesPoint[] {
  const first = dayNumber(args.from);
  const last = dayNumber(args.to);
  if (last < first)
    throw new InvariantViolation(`series range ends before it starts: ${args.from}..${args.to}`);
  const days = last - first + 1;
  if (days > seriesDaysMax) throw new InvariantViolation(`series of ${days} days exceeds ${seriesDaysMax}`);
  let value = amount(args.opening ?? ZERO, 'opening');
  // Changes within the range, bucketed by offset from the first day.
  const buckets = new Map<number, Decimal>();
  for (const change of args.changes) {
    const day = dayNumber(change.on);
    const delta = amount(change.delta, 'delta');
    if (day < first) value = value.plus(delta);
    else if (day <= last) buckets.set(day - first, (buckets.get(day - first) ?? ZERO).plus(delta));
  }
  const points: SeriesPoint[] = [];
  for (let offset = 0; offset < days; offset += 1) {
    const delta = buckets.get(offset);
    if (delta !== undefined) value = value.plus(delta);
    points.push({ date: fromDayNumber(first + offset), value });
  }
  return points;
}
