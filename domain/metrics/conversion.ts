import type { Decimal } from 'decimal.js';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, dayNumber } from './calendar.ts';
import { MetricDecimal } from './decimal.ts';

/**
 * Trial-to-paid conversion over a period. A trial is counted in the period in which its outcome
 * falls: converted on the day it became paid, lapsed on the day it ended unpaid (expired or
 * canceled). Trials still running at the end of the period are reported as pending, not as
 * failures, so a young trial never drags the rate down. docs/metrics.md § Trial conversion.
 */
export type TrialOutcome =
  | { readonly kind: 'converted'; readonly on: CalendarDate }
  | { readonly kind: 'lapsed'; readonly on: CalendarDate }
  | { readonly kind: 'running' };

export interface TrialInput {
  readonly subscriptionId: string;
  readonly startedOn: CalendarDate;
  readonly outcome: TrialOutcome;
}

export interface TrialConversion {
  readonly converted: number;
  readonly lapsed: number;
  /** Trials started by the end of the period whose outcome was not known by then. */
  readonly pending: number;
  /** converted ÷ (converted + lapsed); null when no trial ended in the period. */
  readonly rate: Decimal | null;
}

export function trialConversion(
  trials: Iterable<TrialInput>,
  from: CalendarDate,
  to: CalendarDate,
): TrialConversion {
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) throw new InvariantViolation(`period ends before it starts: ${from}..${to}`);
  let converted = 0;
  let lapsed = 0;
  let pending = 0;
  for (const trial of trials) {
    const started = dayNumber(trial.startedOn);
    if (started > last) continue;
    const outcome = trial.outcome;
    switch (outcome.kind) {
      case 'running':
        pending += 1;
        break;
      case 'converted':
      case 'lapsed': {
        const day = dayNumber(outcome.on);
        if (day < started)
          throw new InvariantViolation(`trial ${trial.subscriptionId} ends before it starts`);
        if (day > last) pending += 1;
        else if (day >= first) {
          if (outcome.kind === 'converted') converted += 1;
          else lapsed += 1;
        }
        break;
      }
      default:
        assertNever(outcome, 'trial outcome');
    }
  }
  const decided = converted + lapsed;
  return {
    converted,
    lapsed,
    pending,
    rate: decided === 0 ? null : new MetricDecimal(converted).dividedBy(decided),
  };
}
