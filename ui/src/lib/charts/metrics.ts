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
      { key: 'gross', label: label('gross'), color: palette[3] },
      { key: 'net', label: label('net'), color: palette[2] },
    ],
    rows: months.map((m) => ({
      label: formatMonth(m.month, locale),
      values: { gross: ratio(m.grossRevenueChurnRate), net: ratio(m.netRevenueChurnRate) },
      display: {
        gross: formatPercent(m.grossRevenueChurnRate, locale),
        net: formatPercent(m.netRevenueChurnRate, locale),
      },
      raw: { gross: m.grossRevenueChurnRate ?? '', net: m.netRevenueChurnRate ?? '' },
    })),
  };
}

/** One month of figures read from the metrics API, before the ratios are derived. */
export interface MonthFigures {
  readonly month: string;
  /** MRR at the end of the previous month, and at the end of this one (decimal minor strings). */
  readonly startMrrMinor: string;
  readonly endMrrMinor: string;
  readonly payingTenants: number;
  readonly byKind: Readonly<Partial<Record<MovementKind, string>>>;
}

function whole(minor: string | undefined): bigint {
  const text = (minor ?? '0').trim();
  const [int = '0', frac = ''] = text.replace('-', '').split('.');
  const rounded = BigInt(int) + ((frac[0] ?? '0') >= '5' ? 1n : 0n);
  return text.startsWith('-') ? -rounded : rounded;
}

/** `numerator ÷ denominator` as a decimal string with six places (a ratio for display). */
function ratioText(numerator: bigint, denominator: bigint): string {
  const scaled = (numerator * 1_000_000n) / denominator;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(7, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/**
 * Revenue churn, ARPU and LTV per month from MRR and its movements, until the API serves them:
 * gross churn = (churn + contraction lost) ÷ MRR at the month's start; net churn also counts
 * expansion and reactivation back; ARPU = MRR at the month's end ÷ paying tenants (rounded down
 * to a whole minor unit); LTV = ARPU ÷ gross revenue churn, null when nothing churned.
 */
export function deriveMonthly(months: readonly MonthFigures[]): { churn: ChurnMonth[]; arpu: ArpuMonth[] } {
  const churn: ChurnMonth[] = [];
  const arpu: ArpuMonth[] = [];
  for (const m of months) {
    const start = whole(m.startMrrMinor);
    const lost = -(whole(m.byKind.churn) + whole(m.byKind.contraction));
    const won = whole(m.byKind.expansion) + whole(m.byKind.reactivation);
    churn.push({
      month: m.month,
      grossRevenueChurnRate: start > 0n ? ratioText(lost, start) : null,
      netRevenueChurnRate: start > 0n ? ratioText(lost - won, start) : null,
    });
    const arpuMinor = m.payingTenants > 0 ? whole(m.endMrrMinor) / BigInt(m.payingTenants) : null;
    const ltvMinor = arpuMinor !== null && start > 0n && lost > 0n ? (arpuMinor * start) / lost : null;
    arpu.push({
      month: m.month,
      arpuMinor: arpuMinor === null ? null : arpuMinor.toString(),
      ltvMinor: ltvMinor === null ? null : ltvMinor.toString(),
    });
  }
  return { churn, arpu };
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
