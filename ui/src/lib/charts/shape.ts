/**
 * The data shaping behind every chart, kept pure so each rule has a table test: rows of named
 * values per x position, nice axis ticks, stacks that grow up for gains and down for losses, the
 * nearest row under the pointer, and the CSV of exactly the numbers drawn.
 *
 * Amounts reach the charts as strings of minor units. A chart needs a coordinate, so `plotValue`
 * turns one into a float of major units for positioning only; every label, tooltip and CSV cell
 * keeps the exact string through `display`.
 */
export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

export interface ChartRow {
  /** The x label (a date, a month). */
  readonly label: string;
  /** Plot coordinates per series key. */
  readonly values: Readonly<Record<string, number>>;
  /** What people read per series key: exact amounts, formatted. */
  readonly display: Readonly<Record<string, string>>;
  /** The raw values for the CSV, exact (minor-unit strings, decimal ratios). */
  readonly raw: Readonly<Record<string, string>>;
}

export const palette = ['#0f766e', '#2563eb', '#d97706', '#dc2626', '#7c3aed', '#4b5563'] as const;

/** A minor-unit string as a float of major units, for a pixel position only. */
export function plotValue(minor: string, digits: number): number {
  const value = Number(minor);
  return Number.isFinite(value) ? value / 10 ** digits : 0;
}

/** The value range a set of rows needs, always including zero so bars and areas start at the axis. */
export function valueExtent(rows: readonly ChartRow[], keys: readonly string[]): [number, number] {
  let min = 0;
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const v = row.values[key];
      if (v === undefined || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return [min, max];
}

/**
 * Round tick values covering [min, max] with about `count` steps of 1, 2 or 5 × 10ⁿ; the first and
 * last ticks enclose the range, so they also serve as the axis domain.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [0];
  if (min === max) {
    if (min === 0) return [0, 1];
    const pad = Math.abs(min) / 2;
    return niceTicks(min - pad, max + pad, count);
  }
  const span = max - min;
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
  const start = Math.floor(min / step) * step;
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // A named limit: never more than 50 ticks, whatever the input.
  for (let i = 0, v = start; v <= end + step / 2 && i < 50; i += 1, v = start + i * step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

export interface StackSegment {
  readonly key: string;
  readonly y0: number;
  readonly y1: number;
}

/**
 * Stacks each row's values: positive values pile up from zero, negative ones pile down from zero
 * (churn and contraction below the axis, new and expansion above), in series order.
 */
export function stackRows(rows: readonly ChartRow[], keys: readonly string[]): StackSegment[][] {
  return rows.map((row) => {
    let up = 0;
    let down = 0;
    const segments: StackSegment[] = [];
    for (const key of keys) {
      const v = row.values[key] ?? 0;
      if (v >= 0) {
        segments.push({ key, y0: up, y1: up + v });
        up += v;
      } else {
        segments.push({ key, y0: down, y1: down + v });
        down += v;
      }
    }
    return segments;
  });
}

/** The extent of stacked rows: the deepest negative pile to the highest positive pile. */
export function stackExtent(stacks: readonly StackSegment[][]): [number, number] {
  let min = 0;
  let max = 0;
  for (const segments of stacks) {
    for (const s of segments) {
      min = Math.min(min, s.y0, s.y1);
      max = Math.max(max, s.y0, s.y1);
    }
  }
  return [min, max];
}

/** The row index nearest to a domain position (the pointer's x, inverted), clamped to the rows. */
export function nearestIndex(position: number, rowCount: number): number | null {
  if (rowCount === 0 || !Number.isFinite(position)) return null;
  return Math.min(rowCount - 1, Math.max(0, Math.round(position)));
}

/** Keeps about `max` evenly spaced labels on a crowded x axis, always the first and the last. */
export function thinLabels(count: number, max: number): number[] {
  if (count <= 0) return [];
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = Math.ceil((count - 1) / Math.max(1, max - 1));
  const kept: number[] = [];
  for (let i = 0; i < count - 1; i += step) kept.push(i);
  if (count - 1 - (kept.at(-1) ?? 0) < step / 2) kept.pop();
  kept.push(count - 1);
  return kept;
}

/** One CSV cell, quoted as RFC 4180 asks when it holds a separator, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The numbers behind a chart as CSV: one line per row, the exact raw values, RFC 4180 quoting. */
export function chartCsv(xHeader: string, rows: readonly ChartRow[], series: readonly ChartSeries[]): string {
  const lines = [[xHeader, ...series.map((s) => s.key)].map(csvCell).join(',')];
  for (const row of rows) {
    lines.push([row.label, ...series.map((s) => row.raw[s.key] ?? '')].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
