import type { ArpuMonth, ChurnMonth, MovementMonth, MrrPoint } from './charts/metrics.ts';

/**
 * The analytics page's period: `from`/`to` calendar dates from the URL, or the last twelve whole
 * months up to today (the twelve-month preset). Pure, so the defaults and the clamping are tested.
 */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export const periodDaysMax = 3_650;

const iso = /^\d{4}-\d{2}-\d{2}$/;

export function periodFrom(params: URLSearchParams, today: string): Period {
  const to = iso.test(params.get('to') ?? '') ? (params.get('to') as string) : today;
  const fallbackFrom = presetPeriod(12, to).from;
  let from = iso.test(params.get('from') ?? '') ? (params.get('from') as string) : fallbackFrom;
  if (from > to) from = fallbackFrom;
  return { from, to };
}

/** Preset ranges for the picker: the last n months ending today. */
export function presetPeriod(months: number, today: string): Period {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const total = y * 12 + (m - 1) - (months - 1);
  const from = `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
  return { from, to: today };
}

/** The answers the metrics routes give, read leniently: a list under `points`, `months` or `items`. */
export function listOf<T>(body: unknown, key: string): T[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as Record<string, unknown>;
  const list = b[key] ?? b.items;
  return Array.isArray(list) ? (list as T[]) : [];
}

export function currencyOf(body: unknown, fallback = 'XOF'): string {
  if (typeof body !== 'object' || body === null) return fallback;
  const c = (body as Record<string, unknown>).currency;
  return typeof c === 'string' ? c : fallback;
}

export type { ArpuMonth, ChurnMonth, MovementMonth, MrrPoint };

export interface MonthSpan {
  readonly month: string;
  /** The month's first and last day inside the period. */
  readonly from: string;
  readonly to: string;
}

/** A named limit on the months one analytics page asks about (two calls per month). */
export const monthsMax = 36;

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function dayBefore(date: string): string {
  return addDaysIso(date, -1);
}

/** The calendar months a period touches, each clipped to the period, the latest `monthsMax`. */
export function monthsBetween(from: string, to: string): MonthSpan[] {
  const spans: MonthSpan[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const lastKey = to.slice(0, 7);
  for (let guard = 0; guard < 1200; guard += 1) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    const first = `${key}-01`;
    const nextY = m === 12 ? y + 1 : y;
    const nextM = m === 12 ? 1 : m + 1;
    const last = dayBefore(`${nextY}-${String(nextM).padStart(2, '0')}-01`);
    spans.push({ month: key, from: first < from ? from : first, to: last > to ? to : last });
    if (key >= lastKey) break;
    y = nextY;
    m = nextM;
  }
  return spans.slice(-monthsMax);
}
