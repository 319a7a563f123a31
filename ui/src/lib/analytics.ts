import type { ArpuMonth, ChurnMonth, MovementMonth, MrrPoint } from './charts/metrics.ts';

/**
 * The analytics page's period: `from`/`to` calendar dates from the URL, or the last twelve whole
 * months up to today. Pure, so the defaults and the clamping are tested.
 */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export const periodDaysMax = 3_650;

const iso = /^\d{4}-\d{2}-\d{2}$/;

export function periodFrom(params: URLSearchParams, today: string): Period {
  const to = iso.test(params.get('to') ?? '') ? (params.get('to') as string) : today;
  const fallbackFrom = `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}-01`;
  let from = iso.test(params.get('from') ?? '') ? (params.get('from') as string) : fallbackFrom;
  if (from > to) from = fallbackFrom > to ? to : fallbackFrom;
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
