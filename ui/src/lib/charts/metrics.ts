import { formatAmount, formatMonth, formatPercent, type Locale } from '../format.ts';
import { type ChartRow, type ChartSeries, palette, plotValue } from './shape.ts';

/**
 * The four analytics charts' data, shaped from what the metrics API answers into chart rows. Each
 * function is pure (locale and currency come in), so its rules have a table test: which series a
 * chart draws, in which colour and order, what sign a loss takes, what a missing value shows.
 * Amounts stay exact strings in `raw` and `display`; `values` only positions pixels.
 */

export interface MrrPoint {
  readonly date: string;
  /** A decimal string of minor units (MRR = ARR ÷ 12). */
  readonly mrrMinor: string;
}

export const movementKinds = ['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const;
export type MovementKind = (typeof movementKinds)[number];

export interface MovementMonth {
  readonly month: string;
  /** Signed decimal strings of minor units; contraction and churn are negative or zero. */
  readonly byKind: Readonly<Partial<Record<MovementKind, string>>>;
}

export interface ChurnMonth {
  readonly month: string;
  /** Customers lost ÷ customers at the month's start (domain/metrics definitions). */
  readonly customerChurnRate: string | null;
  /** Ratios as decimal strings (`'0.042'`), null when the month started without MRR. */
  readonly grossRevenueChurnRate: string | null;
  /** Gross churn less expansion and reactivation; negative when the base grew on its own. */
  readonly netRevenueChurnRate: string | null;
}

export interface ArpuMonth {
  readonly month: string;
  readonly arpuMinor: string | null;
  readonly ltvMinor: string | null;
}

export interface ChartData {
  readonly rows: ChartRow[];
  readonly series: ChartSeries[];
}

type Label = (key: string) => string;

function digitsOf(currency: string): number {
  return currency === 'XOF' || currency === 'XAF' || currency === 'GNF' ? 0 : 2;
}

/** Keeps a month label short on the axis: the first of each month is shown as `nov. 2026`. */
function dayLabel(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-');
  return locale === 'fr' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
}

export function mrrChart(
  points: readonly MrrPoint[],
  currency: string,
  locale: Locale,
  label: Label,
): ChartData {
  const digits = digitsOf(currency);
  return {
    series: [{ key: 'mrr', label: label('mrr'), color: palette[0] }],
    rows: points.map((p) => ({
      label: dayLabel(p.date, locale),
      values: { mrr: plotValue(p.mrrMinor.split('.')[0] ?? '0', digits) },
      display: { mrr: formatAmount(p.mrrMinor, currency, locale) },
      raw: { mrr: p.mrrMinor },
    })),
  };
}

const movementColors: Record<MovementKind, string> = {
  new: '#0f766e',
  expansion: '#2563eb',
  reactivation: '#7c3aed',
  contraction: '#d97706',
  churn: '#dc2626',
};

/**
 * Gains first (new, expansion, reactivation), then losses, so the stack reads bottom-up the same
 * in every month; a missing kind is a zero movement.
 */
export function movementsChart(
  months: readonly MovementMonth[],
  currency: string,
  locale: Locale,
  label: Label,
): ChartData {
  const digits = digitsOf(currency);
  return {
    series: movementKinds.map((k) => ({ key: k, label: label(k), color: movementColors[k] })),
    rows: months.map((m) => {
      const values: Record<string, number> = {};
      const display: Record<string, string> = {};
      const raw: Record<string, string> = {};
      for (const kind of movementKinds) {
        const minor = m.byKind[kind] ?? '0';
        values[kind] = plotValue(minor.split('.')[0] ?? '0', digits);
        display[kind] = formatAmount(minor, currency, locale);
        raw[kind] = minor;
      }
      return { label: formatMonth(m.month, locale), values, display, raw };
    }),
  };
}

function ratio(value: string | null): number {
  if (value === null) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n * 100 : 0;
}

export function churnChart(months: readonly ChurnMonth[], locale: Locale, label: Label): ChartData {
  return {
    series: [
      { key: 'customer', label: label('customer'), color: palette[4] },
      { key: 'gross', label: label('gross'), color: palette[3] },
      { key: 'net', label: label('net'), color: palette[2] },
    ],
    rows: months.map((m) => ({
      label: formatMonth(m.month, locale),
      values: {
        customer: ratio(m.customerChurnRate),
        gross: ratio(m.grossRevenueChurnRate),
        net: ratio(m.netRevenueChurnRate),
      },
      display: {
        customer: formatPercent(m.customerChurnRate, locale),
        gross: formatPercent(m.grossRevenueChurnRate, locale),
        net: formatPercent(m.netRevenueChurnRate, locale),
      },
      raw: {
        customer: m.customerChurnRate ?? '',
        gross: m.grossRevenueChurnRate ?? '',
        net: m.netRevenueChurnRate ?? '',
      },
    })),
  };
}

/** `GET /api/v1/metrics/month`: one month's SaaS figures, computed by domain/metrics. */
export interface MonthMetrics {
  readonly month: string;
  readonly currency: string;
  readonly mrrMinor: string;
  readonly arpuMinor: string | null;
  readonly customerChurnRate: string | null;
  readonly revenueChurn: { readonly grossRate: string; readonly netRate: string } | null;
  readonly lifetimeValueMinor: string | null;
  readonly trialConversion: {
    readonly converted: number;
    readonly lapsed: number;
    readonly pending: number;
    readonly rate: string | null;
  };
}

export interface TrialTotals {
  readonly converted: number;
  readonly lapsed: number;
  /** Trials still running at the end of the last month. */
  readonly pending: number;
  /** converted ÷ (converted + lapsed) over the period, six decimals; null when no trial ended. */
  readonly rate: string | null;
}

/**
 * The API's month figures as chart rows and the period's trial totals. Nothing is recomputed
 * here but the period's conversion rate, a ratio of the months' counts.
 */
export function fromMonthMetrics(months: readonly MonthMetrics[]): {
  churn: ChurnMonth[];
  arpu: ArpuMonth[];
  trials: TrialTotals;
} {
  let converted = 0;
  let lapsed = 0;
  for (const m of months) {
    converted += m.trialConversion.converted;
    lapsed += m.trialConversion.lapsed;
  }
  const ended = converted + lapsed;
  return {
    churn: months.map((m) => ({
      month: m.month,
      customerChurnRate: m.customerChurnRate,
      grossRevenueChurnRate: m.revenueChurn?.grossRate ?? null,
      netRevenueChurnRate: m.revenueChurn?.netRate ?? null,
    })),
    arpu: months.map((m) => ({ month: m.month, arpuMinor: m.arpuMinor, ltvMinor: m.lifetimeValueMinor })),
    trials: {
      converted,
      lapsed,
      pending: months.at(-1)?.trialConversion.pending ?? 0,
      // A ratio of two counts, for display: a float is exact enough for six decimals.
      rate: ended === 0 ? null : (converted / ended).toFixed(6),
    },
  };
}

export function arpuChart(
  months: readonly ArpuMonth[],
  currency: string,
  locale: Locale,
  label: Label,
): ChartData {
  const digits = digitsOf(currency);
  const value = (minor: string | null) =>
    minor === null ? 0 : plotValue(minor.split('.')[0] ?? '0', digits);
  const text = (minor: string | null) => (minor === null ? '—' : formatAmount(minor, currency, locale));
  return {
    series: [
      { key: 'arpu', label: label('arpu'), color: palette[1] },
      { key: 'ltv', label: label('ltv'), color: palette[0] },
    ],
    rows: months.map((m) => ({
      label: formatMonth(m.month, locale),
      values: { arpu: value(m.arpuMinor), ltv: value(m.ltvMinor) },
      display: { arpu: text(m.arpuMinor), ltv: text(m.ltvMinor) },
      raw: { arpu: m.arpuMinor ?? '', ltv: m.ltvMinor ?? '' },
    })),
  };
}

/** Compact axis labels for amounts in major units: `1,5 M`, `250 k`, `900`. */
export function compactTick(value: number, locale: Locale): string {
  const abs = Math.abs(value);
  const [scaled, suffix] =
    abs >= 1e9
      ? [value / 1e9, ' G']
      : abs >= 1e6
        ? [value / 1e6, ' M']
        : abs >= 1e3
          ? [value / 1e3, ' k']
          : [value, ''];
  const text = Number(scaled.toFixed(Math.abs(scaled) < 10 && suffix !== '' ? 1 : 0)).toString();
  return `${locale === 'fr' ? text.replace('.', ',') : text}${suffix}`;
}
