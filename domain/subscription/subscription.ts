import { z } from 'zod';
import {
  type BillingInterval,
  billingIntervals,
  type MeterTerms,
  meterTermsFromJson,
  meterTermsSchema,
  meterTermsToJson,
  planCodePattern,
} from '../catalog/plan.ts';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import {
  fromMoneyJson,
  type Money,
  moneySchema,
  nonNegativeMoneySchema,
  toMoneyJson,
} from '../money/index.ts';
import { type CalendarDate, calendarDateSchema } from '../shared/calendar-date.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import type { Period } from './period.ts';

/**
 * The subscription aggregate: one stream per subscription (`subscription-<subscriptionId>`). It
 * holds the terms the tenant bought (a snapshot of one plan version and its price, so a later price
 * change never reaches it by accident), the current billing period, and what is scheduled for the
 * period end. It decides amounts (proration, credits); issuing the invoices and credit notes for
 * them is the invoice aggregate's business, reacting to these events.
 */

export const subscriptionStreamName = (subscriptionId: string): string => `subscription-${subscriptionId}`;

const id = z.string().min(1).max(200);
const periodSchema = z.object({ start: calendarDateSchema, end: calendarDateSchema });

/** The plan version and price a subscription runs on, copied from the catalog when sold. */
export const subscriptionTermsSchema = z.object({
  planCode: z.string().regex(planCodePattern),
  planVersion: z.number().int().min(1),
  interval: z.enum(billingIntervals),
  /** The price of one full period of `interval`: the list price, or the one negotiated (Enterprise). */
  price: nonNegativeMoneySchema,
  meters: z.array(meterTermsSchema).max(10),
});
export type SubscriptionTermsJson = z.infer<typeof subscriptionTermsSchema>;

export interface SubscriptionTerms {
  readonly planCode: string;
  readonly planVersion: number;
  readonly interval: BillingInterval;
  readonly price: Money;
  readonly meters: readonly MeterTerms[];
}

export function subscriptionTermsToJson(terms: SubscriptionTerms): SubscriptionTermsJson {
  return {
    planCode: terms.planCode,
    planVersion: terms.planVersion,
    interval: terms.interval,
    price: toMoneyJson(terms.price),
    meters: terms.meters.map(meterTermsToJson),
  };
}

export function subscriptionTermsFromJson(json: SubscriptionTermsJson): SubscriptionTerms {
  return {
    planCode: json.planCode,
    planVersion: json.planVersion,
    interval: json.interval,
    price: fromMoneyJson(json.price),
    meters: json.meters.map(meterTermsFromJson),
  };
}

/**
 * The amounts of a mid-period change, day-based over the current period (see docs/rounding.md).
 * `credit` is the unused part of the old price, `charge` the new price for the days it will run,
 * each rounded once to a minor unit, half-up; `net = charge − credit` is what the next invoice
 * adds (negative: a credit the customer keeps).
 */
export const prorationSchema = z.object({
  period: periodSchema,
  periodDays: z.number().int().min(1),
  usedDays: z.number().int().min(0),
  remainingDays: z.number().int().min(0),
  credit: moneySchema,
  /** The period the charge covers: the rest of the current one, or a new longer one from the change date. */
  chargedPeriod: periodSchema,
  charge: moneySchema,
  net: moneySchema,
});
export type ProrationJson = z.infer<typeof prorationSchema>;

export const changeDirections = ['upgrade', 'downgrade', 'lateral'] as const;
export type ChangeDirection = (typeof changeDirections)[number];

export const cancellationReasons = ['customer_request', 'non_payment', 'other'] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

/**
 * Why a trial became paid: a payment method on file at the trial end, its first invoice paid, or a
 * person in the back office converting it before either (the invoice is then issued unpaid).
 */
export const conversionTriggers = ['payment_method_on_file', 'first_invoice_paid', 'operator'] as const;
export type ConversionTrigger = (typeof conversionTriggers)[number];

export const subscriptionStarted = defineEvent({
  type: 'SubscriptionStarted',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    tenantId: id,
    terms: subscriptionTermsSchema,
    startedOn: calendarDateSchema,
    /** Null when paid at once. */
    trialEndsOn: calendarDateSchema.nullable(),
    /** Periods are counted from this date (the trial end after a trial). */
    anchorDate: calendarDateSchema,
    /** The first paid period (null during a trial) and its number counted from the anchor. */
    period: periodSchema.nullable(),
    periodIndex: z.number().int().min(-1).nullable(),
    /** What the first period costs: the full price, or its prorated part when the anchor is later than the start. */
    firstPeriodCharge: moneySchema.nullable(),
    paymentMethodId: id.nullable(),
  }),
});

export const paymentMethodAttached = defineEvent({
  type: 'PaymentMethodAttached',
  version: 1,
  schema: z.object({ subscriptionId: id, paymentMethodId: id, attachedOn: calendarDateSchema }),
});

export const trialConverted = defineEvent({
  type: 'TrialConverted',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    trigger: z.enum(conversionTriggers),
    invoiceId: id.nullable(),
    convertedOn: calendarDateSchema,
    period: periodSchema,
  }),
});

export const trialExpired = defineEvent({
  type: 'TrialExpired',
  version: 1,
  schema: z.object({ subscriptionId: id, expiredOn: calendarDateSchema }),
});

export const subscriptionRenewed = defineEvent({
  type: 'SubscriptionRenewed',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    renewedOn: calendarDateSchema,
    period: periodSchema,
    periodIndex: z.number().int().min(0),
    anchorDate: calendarDateSchema,
    terms: subscriptionTermsSchema,
    scheduledChangeApplied: z.boolean(),
  }),
});

export const planChanged = defineEvent({
  type: 'PlanChanged',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    changedOn: calendarDateSchema,
    direction: z.enum(changeDirections),
    from: subscriptionTermsSchema,
    to: subscriptionTermsSchema,
    /** Null during a trial: nothing was paid, so nothing is prorated. */
    proration: prorationSchema.nullable(),
    anchorDate: calendarDateSchema,
    period: periodSchema.nullable(),
    periodIndex: z.number().int().min(-1).nullable(),
  }),
});

export const planChangeScheduled = defineEvent({
  type: 'PlanChangeScheduled',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    scheduledOn: calendarDateSchema,
    effectiveOn: calendarDateSchema,
    direction: z.enum(changeDirections),
    to: subscriptionTermsSchema,
  }),
});

export const subscriptionPastDue = defineEvent({
  type: 'SubscriptionPastDue',
  version: 1,
  schema: z.object({ subscriptionId: id, invoiceId: id, pastDueOn: calendarDateSchema }),
});

export const subscriptionSuspended = defineEvent({
  type: 'SubscriptionSuspended',
  version: 1,
  schema: z.object({ subscriptionId: id, suspendedOn: calendarDateSchema }),
});

export const subscriptionReinstated = defineEvent({
  type: 'SubscriptionReinstated',
  version: 1,
  schema: z.object({ subscriptionId: id, reinstatedOn: calendarDateSchema }),
});

export const subscriptionCancellationScheduled = defineEvent({
  type: 'SubscriptionCancellationScheduled',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    scheduledOn: calendarDateSchema,
    effectiveOn: calendarDateSchema,
    reason: z.enum(cancellationReasons),
  }),
});

/** The tenant changed its mind before the period end: the subscription renews as usual. */
export const subscriptionCancellationWithdrawn = defineEvent({
  type: 'SubscriptionCancellationWithdrawn',
  version: 1,
  schema: z.object({ subscriptionId: id, withdrawnOn: calendarDateSchema }),
});

export const subscriptionCanceled = defineEvent({
  type: 'SubscriptionCanceled',
  version: 1,
  schema: z.object({
    subscriptionId: id,
    mode: z.enum(['immediately', 'at_period_end']),
    canceledOn: calendarDateSchema,
    reason: z.enum(cancellationReasons),
    /** The unused part of the paid period, credited; null when nothing paid is left unused. */
    credit: z
      .object({
        period: periodSchema,
        periodDays: z.number().int().min(1),
        unusedDays: z.number().int().min(0),
        amount: moneySchema,
      })
      .nullable(),
  }),
});

export const subscriptionEventDefinitions = [
  subscriptionStarted,
  paymentMethodAttached,
  trialConverted,
  trialExpired,
  subscriptionRenewed,
  planChanged,
  planChangeScheduled,
  subscriptionPastDue,
  subscriptionSuspended,
  subscriptionReinstated,
  subscriptionCancellationScheduled,
  subscriptionCancellationWithdrawn,
  subscriptionCanceled,
];

export type SubscriptionEvent =
  | EventOf<typeof subscriptionStarted>
  | EventOf<typeof paymentMethodAttached>
  | EventOf<typeof trialConverted>
  | EventOf<typeof trialExpired>
  | EventOf<typeof subscriptionRenewed>
  | EventOf<typeof planChanged>
  | EventOf<typeof planChangeScheduled>
  | EventOf<typeof subscriptionPastDue>
  | EventOf<typeof subscriptionSuspended>
  | EventOf<typeof subscriptionReinstated>
  | EventOf<typeof subscriptionCancellationScheduled>
  | EventOf<typeof subscriptionCancellationWithdrawn>
  | EventOf<typeof subscriptionCanceled>;

export interface PendingChange {
  readonly effectiveOn: CalendarDate;
  readonly direction: ChangeDirection;
  readonly terms: SubscriptionTerms;
}

interface Base {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly terms: SubscriptionTerms;
  readonly startedOn: CalendarDate;
  readonly anchorDate: CalendarDate;
  readonly paymentMethodId: string | null;
  /** The latest date of any fact in the stream: commands dated earlier are refused. */
  readonly asOf: CalendarDate;
}

export interface ScheduledCancellation {
  readonly effectiveOn: CalendarDate;
  readonly reason: CancellationReason;
}

interface Billing extends Base {
  readonly currentPeriod: Period;
  readonly periodIndex: number;
  readonly pendingChange: PendingChange | null;
  readonly scheduledCancellation: ScheduledCancellation | null;
}

export type SubscriptionState =
  | { readonly status: 'none' }
  | (Base & {
      readonly status: 'trialing';
      readonly trialEndsOn: CalendarDate;
      readonly scheduledCancellation: ScheduledCancellation | null;
    })
  | (Billing & { readonly status: 'active' })
  | (Billing & {
      readonly status: 'past_due';
      readonly pastDueSince: CalendarDate;
      readonly overdueInvoiceId: string;
    })
  | (Billing & { readonly status: 'suspended'; readonly suspendedOn: CalendarDate })
  | (Base & { readonly status: 'canceled'; readonly canceledOn: CalendarDate })
  | (Base & { readonly status: 'expired'; readonly expiredOn: CalendarDate });

export type SubscriptionStatus = SubscriptionState['status'];

export function initialSubscriptionState(): SubscriptionState {
  return { status: 'none' };
}

function base(state: SubscriptionState): Base {
  if (state.status === 'none') throw new InvariantViolation('event on a subscription that never started');
  const { subscriptionId, tenantId, terms, startedOn, anchorDate, paymentMethodId, asOf } = state;
  return { subscriptionId, tenantId, terms, startedOn, anchorDate, paymentMethodId, asOf };
}

function billing(state: SubscriptionState, what: string): Billing {
  if (state.status !== 'active' && state.status !== 'past_due' && state.status !== 'suspended') {
    throw new InvariantViolation(`${what} on a ${state.status} subscription`);
  }
  const { currentPeriod, periodIndex, pendingChange, scheduledCancellation } = state;
  return { ...base(state), currentPeriod, periodIndex, pendingChange, scheduledCancellation };
}

const later = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b); // ISO dates sort as text

export function evolveSubscription(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  switch (event.type) {
    case 'SubscriptionStarted': {
      const d = event.data;
      const started: Base = {
        subscriptionId: d.subscriptionId,
        tenantId: d.tenantId,
        terms: subscriptionTermsFromJson(d.terms),
        startedOn: d.startedOn,
        anchorDate: d.anchorDate,
        paymentMethodId: d.paymentMethodId,
        asOf: d.startedOn,
      };
      if (d.trialEndsOn !== null)
        return { ...started, status: 'trialing', trialEndsOn: d.trialEndsOn, scheduledCancellation: null };
      if (d.period === null || d.periodIndex === null)
        throw new InvariantViolation('a paid start has a period');
      return {
        ...started,
        status: 'active',
        currentPeriod: d.period,
        periodIndex: d.periodIndex,
        pendingChange: null,
        scheduledCancellation: null,
      };
    }
    case 'PaymentMethodAttached': {
      if (state.status === 'none')
        throw new InvariantViolation('PaymentMethodAttached before the subscription started');
      return {
        ...state,
        paymentMethodId: event.data.paymentMethodId,
        asOf: later(state.asOf, event.data.attachedOn),
      };
    }
    case 'TrialConverted': {
      if (state.status !== 'trialing')
        throw new InvariantViolation(`TrialConverted on a ${state.status} subscription`);
      return {
        ...base(state),
        status: 'active',
        asOf: later(state.asOf, event.data.convertedOn),
        currentPeriod: event.data.period,
        periodIndex: 0,
        pendingChange: null,
        // Converting is the tenant choosing to continue (EndTrial cancels instead when a
        // cancellation is scheduled), so nothing scheduled during the trial carries over.
        scheduledCancellation: null,
      };
    }
    case 'TrialExpired': {
      if (state.status !== 'trialing')
        throw new InvariantViolation(`TrialExpired on a ${state.status} subscription`);
      return {
        ...base(state),
        status: 'expired',
        expiredOn: event.data.expiredOn,
        asOf: later(state.asOf, event.data.expiredOn),
      };
    }
    case 'SubscriptionRenewed': {
      if (state.status !== 'active')
        throw new InvariantViolation(`SubscriptionRenewed on a ${state.status} subscription`);
      const current = billing(state, 'SubscriptionRenewed');
      return {
        ...current,
        status: 'active',
        asOf: later(current.asOf, event.data.renewedOn),
        terms: subscriptionTermsFromJson(event.data.terms),
        anchorDate: event.data.anchorDate,
        currentPeriod: event.data.period,
        periodIndex: event.data.periodIndex,
        pendingChange: null,
      };
    }
    case 'PlanChanged': {
      const d = event.data;
      if (state.status === 'trialing') {
        return { ...state, terms: subscriptionTermsFromJson(d.to), asOf: later(state.asOf, d.changedOn) };
      }
      if (state.status !== 'active')
        throw new InvariantViolation(`PlanChanged on a ${state.status} subscription`);
      const current = billing(state, 'PlanChanged');
      if (d.period === null || d.periodIndex === null)
        throw new InvariantViolation('a paid plan change has a period');
      return {
        ...current,
        status: 'active',
        asOf: later(current.asOf, d.changedOn),
        terms: subscriptionTermsFromJson(d.to),
        anchorDate: d.anchorDate,
        currentPeriod: d.period,
        periodIndex: d.periodIndex,
        // A change made now supersedes one that was waiting for the period end.
        pendingChange: null,
      };
    }
    case 'PlanChangeScheduled': {
      if (state.status !== 'active')
        throw new InvariantViolation(`PlanChangeScheduled on a ${state.status} subscription`);
      const d = event.data;
      return {
        ...state,
        asOf: later(state.asOf, d.scheduledOn),
        pendingChange: {
          effectiveOn: d.effectiveOn,
          direction: d.direction,
          terms: subscriptionTermsFromJson(d.to),
        },
      };
    }
    case 'SubscriptionPastDue': {
      const current = billing(state, 'SubscriptionPastDue');
      return {
        ...current,
        status: 'past_due',
        asOf: later(current.asOf, event.data.pastDueOn),
        pastDueSince: event.data.pastDueOn,
        overdueInvoiceId: event.data.invoiceId,
      };
    }
    case 'SubscriptionSuspended': {
      const current = billing(state, 'SubscriptionSuspended');
      return {
        ...current,
        status: 'suspended',
        asOf: later(current.asOf, event.data.suspendedOn),
        suspendedOn: event.data.suspendedOn,
      };
    }
    case 'SubscriptionReinstated': {
      const current = billing(state, 'SubscriptionReinstated');
      return { ...current, status: 'active', asOf: later(current.asOf, event.data.reinstatedOn) };
    }
    case 'SubscriptionCancellationScheduled': {
      if (state.status !== 'active' && state.status !== 'trialing') {
        throw new InvariantViolation(`SubscriptionCancellationScheduled on a ${state.status} subscription`);
      }
      return {
        ...state,
        asOf: later(state.asOf, event.data.scheduledOn),
        scheduledCancellation: { effectiveOn: event.data.effectiveOn, reason: event.data.reason },
      };
    }
    case 'SubscriptionCancellationWithdrawn': {
      if (state.status !== 'active' && state.status !== 'trialing') {
        throw new InvariantViolation(`SubscriptionCancellationWithdrawn on a ${state.status} subscription`);
      }
      return { ...state, asOf: later(state.asOf, event.data.withdrawnOn), scheduledCancellation: null };
    }
    case 'SubscriptionCanceled': {
      const current = base(state);
      if (state.status === 'canceled' || state.status === 'expired') {
        throw new InvariantViolation(`SubscriptionCanceled on a ${state.status} subscription`);
      }
      return {
        ...current,
        status: 'canceled',
        canceledOn: event.data.canceledOn,
        asOf: later(current.asOf, event.data.canceledOn),
      };
    }
    default:
      return assertNever(event, 'subscription event');
  }
}
