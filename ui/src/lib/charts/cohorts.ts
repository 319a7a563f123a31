import { formatAmount, formatMonth, formatPercent, type Locale } from '../format.ts';
import { csvCell } from './shape.ts';

/**
 * The cohort retention heat-table's data, shaped from `GET /api/v1/metrics/cohorts`: one row per
 * cohort (the month its tenants first paid), one column per month since (M+0, M+1…), each cell
 * coloured by the retention it shows and described exactly in its tooltip. Pure, so each rule has
 * a table test. Ratios arrive as exact decimal strings and stay so in the CSV; `ratio` is a float
 * for colour and label only.
 */
export interface CohortCellJson {
  readonly offset: number;
  readonly month: string;
  readonly payingCustomers: number;
  readonly mrrMinor: string;
  readonly customerRetention: string;
  readonly revenueRetention: string;
}

export interface CohortJson {
  readonly month: string;
  readonly size: number;
  readonly startingMrrMinor: string;
  readonly cells: readonly CohortCellJson[];
}

export const cohortMeasures = ['customers', 'revenue'] as const;
export type CohortMeasure = (typeof cohortMeasures)[number];

/** A named limit on the columns drawn (two years since the cohort month); the CSV keeps them all. */
export const cohortOffsetsShownMax = 24;

export interface HeatCell {
  readonly row: number;
  readonly col: number;
  /** The retention shown, as a float: 1 is everyone (or all the starting MRR) still paying. */
  readonly ratio: number;
  /** The short text inside the cell: `67 %`. */
  readonly label: string;
  /** The tooltip: the cohort and month, then the exact figures. */
  readonly title: string;
  readonly lines: readonly string[];
}

export interface Heatmap {
  readonly rows: readonly { readonly label: string; readonly size: string }[];
  readonly columns: readonly string[];
  readonly cells: readonly HeatCell[];
}

/** The messages the table needs (`t` from the i18n module fits). */
type Label = (
  key: 'analytics.month' | 'analytics.cohortCustomers' | 'analytics.cohortRevenue',
  params?: Readonly<Record<string, string | number>>,
) => string;

export function cohortHeatmap(
  cohorts: readonly CohortJson[],
  measure: CohortMeasure,
  currency: string,
  locale: Locale,
  label: Label,
): Heatmap {
  const offsets = Math.min(cohortOffsetsShownMax, Math.max(0, ...cohorts.map((c) => c.cells.length)));
  const cells: HeatCell[] = [];
  cohorts.forEach((cohort, row) => {
    for (const cell of cohort.cells) {
      if (cell.offset >= offsets) continue;
      const exact = measure === 'customers' ? cell.customerRetention : cell.revenueRetention;
      const ratio = Number(exact);
      cells.push({
        row,
        col: cell.offset,
        ratio: Number.isFinite(ratio) ? ratio : 0,
        label: formatPercent(exact, locale, 0),
        title: `${formatMonth(cohort.month, locale)} · ${label('analytics.month', { n: cell.offset })} (${formatMonth(cell.month, locale)})`,
        lines: [
          label('analytics.cohortCustomers', {
            paying: cell.payingCustomers,
            size: cohort.size,
            percent: formatPercent(cell.customerRetention, locale),
          }),
          label('analytics.cohortRevenue', {
            amount: formatAmount(cell.mrrMinor, currency, locale),
            percent: formatPercent(cell.revenueRetention, locale),
          }),
        ],
      });
    }
  });
  return {
    rows: cohorts.map((c) => ({
      label: formatMonth(c.month, locale),
      size: measure === 'customers' ? String(c.size) : formatAmount(c.startingMrrMinor, currency, locale),
    })),
    columns: Array.from({ length: offsets }, (_, n) => label('analytics.month', { n })),
    cells,
  };
}

/**
 * A cell's colour: the app's teal, stronger for higher retention. Revenue retention may pass 1
 * (expansion); it is drawn as full strength, its label saying how much.
 */
export function heatColor(ratio: number): string {
  const strength = Math.max(0, Math.min(1, ratio));
  return `rgba(15, 118, 110, ${(0.08 + strength * 0.72).toFixed(3)})`;
}

/** Dark text on a pale cell, white on a strong one. */
export function heatText(ratio: number): string {
  return ratio > 0.55 ? '#ffffff' : '#111827';
}

/** The numbers behind the table, one line per cohort and month, exact (minor units, ratios). */
export function cohortCsv(cohorts: readonly CohortJson[]): string {
  const header = [
    'cohort',
    'size',
    'starting_mrr_minor',
    'offset',
    'month',
    'paying_customers',
    'mrr_minor',
    'customer_retention',
    'revenue_retention',
  ];
  const lines = [header.join(',')];
  for (const c of cohorts) {
    for (const cell of c.cells) {
      lines.push(
        [
          c.month,
          String(c.size),
          c.startingMrrMinor,
          String(cell.offset),
          cell.month,
          String(cell.payingCustomers),
          cell.mrrMinor,
          cell.customerRetention,
          cell.revenueRetention,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The cell a pointer or a key lands on, kept inside the table. */
export function clampCell(
  position: { readonly row: number; readonly col: number },
  rows: number,
  cols: number,
): { row: number; col: number } | null {
  if (rows === 0 || cols === 0 || !Number.isFinite(position.row) || !Number.isFinite(position.col))
    return null;
  return {
    row: Math.min(rows - 1, Math.max(0, Math.floor(position.row))),
    col: Math.min(cols - 1, Math.max(0, Math.floor(position.col))),
  };
}
