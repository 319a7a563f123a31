import { type CurrencyCode, isPositive, type Money, min, money, zero } from '../money/index.ts';
import { InvariantViolation } from '../shared/decider.ts';

/**
 * Which invoices a payment settles, and how much of it is left as the tenant's credit.
 *
 * The policy, in order:
 * 1. Invoices the payer named (`explicitInvoiceIds`), in the order named. A payer who says "this is
 *    for invoice 12" means it, even when older invoices are open.
 * 2. Then the tenant's other open invoices, oldest first: by issue date, then by invoice number
 *    (numbers are gapless per series, so they order invoices issued the same day), then by id so
 *    the order is total and a replay allocates the same way.
 * 3. What is left after every open invoice is settled becomes customer credit.
 *
 * No invoice ever receives more than its amount due, and only invoices in the payment's currency
 * receive anything: converting currencies is an accounting decision, not an allocation one. Named
 * invoices that are not open (paid meanwhile, unknown, another tenant's) are reported, not guessed
 * at. There is no rounding here: allocation moves whole minor units.
 */

export interface OpenInvoice {
  readonly invoiceId: string;
  /** The legal issue date, `YYYY-MM-DD`. */
  readonly issuedOn: string;
  readonly number: string;
  readonly amountDue: Money;
}

export interface AllocationInput {
  readonly payment: Money;
  readonly explicitInvoiceIds?: readonly string[];
  readonly openInvoices: readonly OpenInvoice[];
}

export interface InvoiceAllocation {
  readonly invoiceId: string;
  readonly amount: Money;
  /** True when this allocation brings the invoice's amount due to zero. */
  readonly settlesInvoice: boolean;
}

export type SkipReason = 'not_open' | 'other_currency' | 'nothing_due';

export interface AllocationResult {
  readonly allocations: readonly InvoiceAllocation[];
  readonly credit: Money;
  readonly skipped: ReadonlyArray<{ readonly invoiceId: string; readonly reason: SkipReason }>;
}

/** A tenant with more open invoices than this is a data problem to look at, not to loop over. */
export const openInvoicesMax = 10_000;

export function allocatePayment(input: AllocationInput): AllocationResult {
  const { payment, openInvoices } = input;
  const currency: CurrencyCode = payment.currency;
  if (payment.amountMinor < 0n) throw new InvariantViolation('cannot allocate a negative payment');
  if (openInvoices.length > openInvoicesMax) {
    throw new InvariantViolation(`more than ${openInvoicesMax} open invoices for one allocation`);
  }

  const byId = new Map<string, OpenInvoice>();
  for (const invoice of openInvoices) {
    if (byId.has(invoice.invoiceId))
      throw new InvariantViolation(`invoice ${invoice.invoiceId} listed twice`);
    byId.set(invoice.invoiceId, invoice);
  }

  const skipped: Array<{ invoiceId: string; reason: SkipReason }> = [];
  const explicit: OpenInvoice[] = [];
  const named = new Set<string>();
  for (const invoiceId of input.explicitInvoiceIds ?? []) {
    if (named.has(invoiceId)) continue;
    named.add(invoiceId);
    const invoice = byId.get(invoiceId);
    if (invoice === undefined) skipped.push({ invoiceId, reason: 'not_open' });
    else explicit.push(invoice);
  }
  const rest = openInvoices.filter((invoice) => !named.has(invoice.invoiceId)).sort(oldestFirst);

  let left = payment.amountMinor;
  const allocations: InvoiceAllocation[] = [];
  for (const invoice of [...explicit, ...rest]) {
    if (invoice.amountDue.currency !== currency) {
      skipped.push({ invoiceId: invoice.invoiceId, reason: 'other_currency' });
      continue;
    }
    if (!isPositive(invoice.amountDue)) {
      skipped.push({ invoiceId: invoice.invoiceId, reason: 'nothing_due' });
      continue;
    }
    if (left === 0n) continue;
    const due = invoice.amountDue.amountMinor;
    const part = min(money(left, currency), invoice.amountDue).amountMinor;
    allocations.push({
      invoiceId: invoice.invoiceId,
      amount: money(part, currency),
      settlesInvoice: part === due,
    });
    left -= part;
  }

  return { allocations, credit: left === 0n ? zero(currency) : money(left, currency), skipped };
}

function oldestFirst(a: OpenInvoice, b: OpenInvoice): number {
  // ISO dates compare correctly as strings.
  if (a.issuedOn !== b.issuedOn) return a.issuedOn < b.issuedOn ? -1 : 1;
  const byNumber = compareInvoiceNumbers(a.number, b.number);
  if (byNumber !== 0) return byNumber;
  return a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0;
}

/**
 * Invoice numbers such as `F-2026-000042` compare digit runs as numbers, so `F-2026-9` comes before
 * `F-2026-10` even when a series is not zero-padded.
 */
export function compareInvoiceNumbers(a: string, b: string): number {
  const partsA = a.match(/\d+|\D+/g) ?? [];
  const partsB = b.match(/\d+|\D+/g) ?? [];
  const length = Math.min(partsA.length, partsB.length);
  for (let i = 0; i < length; i += 1) {
    const x = partsA[i]!;
    const y = partsB[i]!;
    if (x === y) continue;
    const bothDigits = /^\d/.test(x) && /^\d/.test(y);
    if (bothDigits) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return partsA.length - partsB.length;
}
