import type { OverdueRisk } from './api/types.ts';
import { roundMinor } from './format.ts';

/**
 * Dashboard arithmetic on exact amounts. Sums use BigInt on whole minor units (amounts from the
 * read models are integers; MRR figures are rounded half away from zero first). The churn ratio
 * is a display figure, so it ends as a decimal string with six places, not as money.
 */
export function sumMinor(amounts: readonly string[]): string {
  let total = 0n;
  for (const a of amounts) total += BigInt(roundMinor(a));
  return total.toString();
}

/**
 * Gross revenue churn over a period: MRR lost to churn and contraction ÷ MRR at the start. Null
 * when there was no MRR to lose.
 */
export function revenueChurnRate(
  startMrrMinor: string,
  byKind: Readonly<Record<string, string>>,
): string | null {
  const start = BigInt(roundMinor(startMrrMinor));
  if (start <= 0n) return null;
  const lost = -(BigInt(roundMinor(byKind.churn ?? '0')) + BigInt(roundMinor(byKind.contraction ?? '0')));
  const scaled = (lost * 1_000_000n) / start;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(7, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** How many overdue invoices the overdue-risk route lists per tenant (its documented maximum). */
export const overdueInvoicesListedMax = 10;

/**
 * The money past its due date in one currency: the sum of the overdue invoices each overdue-risk
 * row lists (a row's own amount due also counts invoices not yet due). `complete` is false when
 * the rows may not hold every overdue invoice — a tenant listed the maximum, or rows were left on
 * another page — and the total is then a floor.
 */
export function overdueTotal(
  rows: readonly Pick<OverdueRisk, 'dunning'>[],
  currency: string,
  moreRows: boolean,
): { totalMinor: string; complete: boolean } {
  const amounts = rows.flatMap((r) =>
    r.dunning.overdueInvoices.filter((i) => i.currency === currency).map((i) => i.amountDueMinor),
  );
  const capped = rows.some((r) => r.dunning.overdueInvoices.length >= overdueInvoicesListedMax);
  return { totalMinor: sumMinor(amounts), complete: !moreRows && !capped };
}
