import { type CalendarDate, isBefore } from '../shared/calendar-date.ts';
import { InvariantViolation } from '../shared/decider.ts';

/**
 * Whether a promise to pay was kept, read from what happened to its invoice since it was recorded
 * (the read model follows the payments; nothing about it is ever recorded as an event):
 *
 * 1. `kept` — the money applied to the invoice since the promise (payments and the customer's
 *    credit balance) reaches the promised amount, or nothing is left due (a credit note cancelled
 *    the rest), whenever that happened;
 * 2. `broken` — otherwise, once the promised day is over (today is after it), or when the invoice
 *    was written off: the tenant did not pay what it said it would;
 * 3. `active` — otherwise: the promised day has not passed yet.
 *
 * docs/metrics.md § Promises to pay.
 */
export const promiseStatuses = ['active', 'kept', 'broken'] as const;
export type PromiseStatus = (typeof promiseStatuses)[number];

export interface PromiseProgress {
  readonly promisedOn: CalendarDate;
  readonly amountMinor: bigint;
  /** Applied to the invoice since the promise was recorded. */
  readonly paidSinceMinor: bigint;
  /** What the invoice still has due now. */
  readonly amountDueMinor: bigint;
  readonly writtenOff: boolean;
}

export function promiseStatus(progress: PromiseProgress, today: CalendarDate): PromiseStatus {
  if (progress.amountMinor <= 0n || progress.paidSinceMinor < 0n || progress.amountDueMinor < 0n) {
    throw new InvariantViolation('a promise and the money applied since are never negative');
  }
  if (
    !progress.writtenOff &&
    (progress.paidSinceMinor >= progress.amountMinor || progress.amountDueMinor === 0n)
  ) {
    return 'kept';
  }
  if (progress.writtenOff || isBefore(progress.promisedOn, today)) return 'broken';
  return 'active';
}
