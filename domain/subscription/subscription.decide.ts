import { monthsPerInterval, planCodePattern } from '../catalog/plan.ts';
import { isNegative, isZero, toMoneyJson } from '../money/index.ts';
import { addDays, addMonths, type CalendarDate, isCalendarDate } from '../shared/calendar-date.ts';
import {
  accept,
  assertNever,
  type Decider,
  type Decision,
  InvariantViolation,
  type Refusal,
  refuse,
} from '../shared/decider.ts';
import { type Period, periodAt } from './period.ts';
import {
  type ChangeTiming,
  cancellationCredit,
  classifyPlanChange,
  type Proration,
  prorateUpgrade,
} from './proration.ts';
import {
  type CancellationReason,
  cancellationReasons,
  type ChangeDirection,
  evolveSubscription,
  initialSubscriptionState,
  type ProrationJson,
  type SubscriptionEvent,
  type SubscriptionState,
  type SubscriptionTerms,
  subscriptionTermsToJson,
} from './subscription.ts';

/** Limits, named so a reader sees them. */
export const subscriptionTrialDaysMax = 90;
const idLengthMax = 200;

/**
 * Starts a subscription on a trial (`trialDays`, from the plan version; no payment method needed)
 * or paid at once (`trialDays: null`). A paid start may name a later `anchorDate`: the first period
 * is then the stretch up to the anchor, charged pro rata, and periods run from the anchor on.
 */
export type StartSubscription = {
  readonly type: 'StartSubscription';
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly terms: SubscriptionTerms;
  readonly trialDays: number | null;
  readonly anchorDate: CalendarDate | null;
  readonly paymentMethodId: string | null;
  readonly today: CalendarDate;
};

export type AttachPaymentMethod = {
  readonly type: 'AttachPaymentMethod';
  readonly subscriptionId: string;
  readonly paymentMethodId: string;
  readonly today: CalendarDate;
};

/** The tenant paid its first invoice during the trial: the subscription is paid from the trial end. */
export type ConvertTrial = {
  readonly type: 'ConvertTrial';
  readonly subscriptionId: string;
  readonly invoiceId: string;
  readonly today: CalendarDate;
  /** `first_invoice_paid` (the default: the payment reaction) or `operator` (the back office). */
  readonly by?: 'first_invoice_paid' | 'operator';
};

/** Sent by the scheduler on or after the trial end: converts with a payment method on file, else expires. */
export type EndTrial = {
  readonly type: 'EndTrial';
  readonly subscriptionId: string;
  readonly today: CalendarDate;
};

/** Sent by the scheduler on or after the period end: starts the next period, applying what was scheduled. */
export type RenewSubscription = {
  readonly type: 'RenewSubscription';
  readonly subscriptionId: string;
  readonly today: CalendarDate;
};

/** Moves to other terms (another plan, version, interval or negotiated price); see classifyPlanChange. */
export type ChangePlan = {
  readonly type: 'ChangePlan';
  readonly subscriptionId: string;
  readonly terms: SubscriptionTerms;
  readonly today: CalendarDate;
};

export type MarkPastDue = {
  readonly type: 'MarkPastDue';
  readonly subscriptionId: string;
  readonly invoiceId: string;
  readonly today: CalendarDate;
};

export type SuspendSubscription = {
  readonly type: 'SuspendSubscription';
  readonly subscriptionId: string;
  readonly today: CalendarDate;
};

export type ReinstateSubscription = {
  readonly type: 'ReinstateSubscription';
  readonly subscriptionId: string;
  readonly today: CalendarDate;
};

export type CancelSubscription = {
  readonly type: 'CancelSubscription';
  readonly subscriptionId: string;
  readonly mode: 'immediately' | 'at_period_end';
  readonly reason: CancellationReason;
  readonly today: CalendarDate;
};

/** Withdraws a cancellation scheduled for the period end. */
export type WithdrawCancellation = {
  readonly type: 'WithdrawCancellation';
  readonly subscriptionId: string;
  readonly today: CalendarDate;
};

export type SubscriptionCommand =
  | StartSubscription
  | AttachPaymentMethod
  | ConvertTrial
  | EndTrial
  | RenewSubscription
  | ChangePlan
  | MarkPastDue
  | SuspendSubscription
  | ReinstateSubscription
  | CancelSubscription
  | WithdrawCancellation;

/** The subscription's refusals, in the order they are checked. */
export const subscriptionRefusalCodes = [
  'subscription_not_found',
  'subscription_already_exists',
  'subscription_ended',
  'subscription_not_trialing',
  'subscription_not_active',
  'subscription_not_past_due',
  'subscription_not_delinquent',
  'subscription_field_invalid',
  'date_out_of_order',
  'trial_not_over',
  'period_not_over',
  'period_over',
  'currency_mismatch',
  'plan_unchanged',
  'cancellation_already_scheduled',
  'cancellation_not_scheduled',
  'payment_method_unchanged',
] as const;
export type SubscriptionRefusalCode = (typeof subscriptionRefusalCodes)[number];

type SubscriptionDecision = Decision<SubscriptionEvent, SubscriptionRefusalCode>;
type Refused = { readonly ok: false; readonly refusal: Refusal<SubscriptionRefusalCode> };

function fieldInvalid(field: string, message: string): Refused {
  return refuse('subscription_field_invalid', message, field);
}

function checkId(value: string, field: string): Refused | null {
  return value.length === 0 || value.length > idLengthMax
    ? fieldInvalid(field, `1 to ${idLengthMax} characters`)
    : null;
}

function checkDate(value: CalendarDate, field: string): Refused | null {
  return isCalendarDate(value) ? null : fieldInvalid(field, 'a calendar date YYYY-MM-DD');
}

function checkTerms(terms: SubscriptionTerms): Refused | null {
  if (!planCodePattern.test(terms.planCode)) return fieldInvalid('terms.planCode', 'a plan code');
  if (!Number.isInteger(terms.planVersion) || terms.planVersion < 1) {
    return fieldInvalid('terms.planVersion', 'a version number, 1 or more');
  }
  if (isNegative(terms.price)) return fieldInvalid('terms.price', 'a price must not be negative');
  return null;
}

function firstOf(...checks: (Refused | null)[]): Refused | null {
  return checks.find((check) => check !== null) ?? null;
}

function sameTerms(a: SubscriptionTerms, b: SubscriptionTerms): boolean {
  return JSON.stringify(subscriptionTermsToJson(a)) === JSON.stringify(subscriptionTermsToJson(b));
}

export function prorationToJson(proration: Proration): ProrationJson {
  return {
    ...proration,
    credit: toMoneyJson(proration.credit),
    charge: toMoneyJson(proration.charge),
    net: toMoneyJson(proration.net),
  };
}

export function decideSubscription(
  command: SubscriptionCommand,
  state: SubscriptionState,
): SubscriptionDecision {
  if (command.type === 'StartSubscription') return start(command, state);
  if (state.status === 'none')
    return refuse('subscription_not_found', `no subscription ${command.subscriptionId}`);
  if (state.status === 'canceled' || state.status === 'expired') {
    return refuse('subscription_ended', `the subscription is ${state.status}`);
  }
  const { subscriptionId } = state;
  // Rules on the state come first (the table in the spec walks them in this order), then the fields,
  // then the dates, then the rules on amounts.
  switch (command.type) {
    case 'AttachPaymentMethod': {
      const bad = firstOf(
        checkId(command.paymentMethodId, 'paymentMethodId'),
        checkDate(command.today, 'today'),
      );
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      if (state.paymentMethodId === command.paymentMethodId) {
        return refuse('payment_method_unchanged', 'this payment method is already on file');
      }
      return accept({
        type: 'PaymentMethodAttached',
        data: { subscriptionId, paymentMethodId: command.paymentMethodId, attachedOn: command.today },
      });
    }
    case 'ConvertTrial': {
      if (state.status !== 'trialing') return notTrialing(state.status);
      const bad = firstOf(checkId(command.invoiceId, 'invoiceId'), checkDate(command.today, 'today'));
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      return accept({
        type: 'TrialConverted',
        data: {
          subscriptionId,
          trigger: command.by ?? 'first_invoice_paid',
          invoiceId: command.invoiceId,
          convertedOn: command.today,
          period: periodAt(state.anchorDate, state.terms.interval, 0),
        },
      });
    }
    case 'EndTrial': {
      if (state.status !== 'trialing') return notTrialing(state.status);
      const bad = checkDate(command.today, 'today');
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      if (command.today < state.trialEndsOn)
        return refuse('trial_not_over', `the trial ends on ${state.trialEndsOn}`);
      if (state.scheduledCancellation !== null) {
        return accept({
          type: 'SubscriptionCanceled',
          data: {
            subscriptionId,
            mode: 'at_period_end',
            canceledOn: state.trialEndsOn,
            reason: state.scheduledCancellation.reason,
            credit: null,
          },
        });
      }
      if (state.paymentMethodId === null) {
        return accept({ type: 'TrialExpired', data: { subscriptionId, expiredOn: state.trialEndsOn } });
      }
      return accept({
        type: 'TrialConverted',
        data: {
          subscriptionId,
          trigger: 'payment_method_on_file',
          invoiceId: null,
          convertedOn: state.trialEndsOn,
          period: periodAt(state.anchorDate, state.terms.interval, 0),
        },
      });
    }
    case 'RenewSubscription': {
      if (state.status !== 'active') return notActive(state.status);
      const bad = checkDate(command.today, 'today');
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      const ending = state.currentPeriod;
      if (command.today < ending.end) return refuse('period_not_over', `the period ends on ${ending.end}`);
      if (state.scheduledCancellation !== null) {
        return accept({
          type: 'SubscriptionCanceled',
          data: {
            subscriptionId,
            mode: 'at_period_end',
            canceledOn: ending.end,
            reason: state.scheduledCancellation.reason,
            credit: null,
          },
        });
      }
      const pending = state.pendingChange;
      const terms = pending?.terms ?? state.terms;
      // A new interval restarts the count at the end of the old period; otherwise the count goes on.
      const restart = terms.interval !== state.terms.interval;
      const anchorDate = restart ? ending.end : state.anchorDate;
      const periodIndex = restart ? 0 : state.periodIndex + 1;
      const period = periodAt(anchorDate, terms.interval, periodIndex);
      return accept({
        type: 'SubscriptionRenewed',
        data: {
          subscriptionId,
          renewedOn: period.start,
          period,
          periodIndex,
          anchorDate,
          terms: subscriptionTermsToJson(terms),
          scheduledChangeApplied: pending !== null,
        },
      });
    }
    case 'ChangePlan':
      return changePlan(command, state);
    case 'MarkPastDue': {
      if (state.status !== 'active') return notActive(state.status);
      const bad = firstOf(checkId(command.invoiceId, 'invoiceId'), checkDate(command.today, 'today'));
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      return accept({
        type: 'SubscriptionPastDue',
        data: { subscriptionId, invoiceId: command.invoiceId, pastDueOn: command.today },
      });
    }
    case 'SuspendSubscription': {
      if (state.status !== 'past_due')
        return refuse('subscription_not_past_due', 'only a past-due subscription is suspended');
      const bad = checkDate(command.today, 'today');
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      return accept({ type: 'SubscriptionSuspended', data: { subscriptionId, suspendedOn: command.today } });
    }
    case 'ReinstateSubscription': {
      if (state.status !== 'past_due' && state.status !== 'suspended') {
        return refuse(
          'subscription_not_delinquent',
          'only a past-due or suspended subscription is reinstated',
        );
      }
      const bad = checkDate(command.today, 'today');
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      return accept({
        type: 'SubscriptionReinstated',
        data: { subscriptionId, reinstatedOn: command.today },
      });
    }
    case 'CancelSubscription': {
      const atPeriodEnd = command.mode === 'at_period_end';
      if (atPeriodEnd && state.status !== 'active' && state.status !== 'trialing')
        return notActive(state.status);
      const bad = firstOf(
        command.mode === 'immediately' || atPeriodEnd
          ? null
          : fieldInvalid('mode', 'immediately or at_period_end'),
        (cancellationReasons as readonly string[]).includes(command.reason)
          ? null
          : fieldInvalid('reason', cancellationReasons.join(', ')),
        checkDate(command.today, 'today'),
      );
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      if (atPeriodEnd) {
        if (state.scheduledCancellation !== null) {
          return refuse(
            'cancellation_already_scheduled',
            `the subscription ends on ${state.scheduledCancellation.effectiveOn}`,
          );
        }
        const effectiveOn = state.status === 'trialing' ? state.trialEndsOn : periodOf(state).end;
        return accept({
          type: 'SubscriptionCancellationScheduled',
          data: { subscriptionId, scheduledOn: command.today, effectiveOn, reason: command.reason },
        });
      }
      const credit =
        state.status === 'trialing'
          ? null
          : cancellationCredit(state.terms.price, state.currentPeriod, command.today);
      return accept({
        type: 'SubscriptionCanceled',
        data: {
          subscriptionId,
          mode: 'immediately',
          canceledOn: command.today,
          reason: command.reason,
          credit:
            credit === null || isZero(credit.amount)
              ? null
              : { ...credit, amount: toMoneyJson(credit.amount) },
        },
      });
    }
    case 'WithdrawCancellation': {
      if (state.status !== 'active' && state.status !== 'trialing') return notActive(state.status);
      const bad = checkDate(command.today, 'today');
      if (bad !== null) return bad;
      if (command.today < state.asOf) return outOfOrder(state.asOf);
      if (state.scheduledCancellation === null) {
        return refuse('cancellation_not_scheduled', 'no cancellation is scheduled');
      }
      return accept({
        type: 'SubscriptionCancellationWithdrawn',
        data: { subscriptionId, withdrawnOn: command.today },
      });
    }
    default:
      return assertNever(command, 'subscription command');
  }
}

function start(command: StartSubscription, state: SubscriptionState): SubscriptionDecision {
  if (state.status !== 'none')
    return refuse('subscription_already_exists', `subscription ${command.subscriptionId} exists`);
  const bad = firstOf(
    checkId(command.subscriptionId, 'subscriptionId'),
    checkId(command.tenantId, 'tenantId'),
    checkTerms(command.terms),
    checkDate(command.today, 'today'),
    command.paymentMethodId === null ? null : checkId(command.paymentMethodId, 'paymentMethodId'),
  );
  if (bad !== null) return bad;
  const base = {
    subscriptionId: command.subscriptionId,
    tenantId: command.tenantId,
    terms: subscriptionTermsToJson(command.terms),
    startedOn: command.today,
    paymentMethodId: command.paymentMethodId,
  };
  if (command.trialDays !== null) {
    if (
      !Number.isInteger(command.trialDays) ||
      command.trialDays < 1 ||
      command.trialDays > subscriptionTrialDaysMax
    ) {
      return fieldInvalid('trialDays', `1 to ${subscriptionTrialDaysMax} days, or null to start paid`);
    }
    if (command.anchorDate !== null)
      return fieldInvalid('anchorDate', 'a trial anchors the periods on its end');
    const trialEndsOn = addDays(command.today, command.trialDays);
    return accept({
      type: 'SubscriptionStarted',
      data: {
        ...base,
        trialEndsOn,
        anchorDate: trialEndsOn,
        period: null,
        periodIndex: null,
        firstPeriodCharge: null,
      },
    });
  }
  const anchorDate = command.anchorDate ?? command.today;
  const latestAnchor = addMonths(command.today, monthsPerInterval(command.terms.interval));
  if (!isCalendarDate(anchorDate) || anchorDate < command.today || anchorDate > latestAnchor) {
    return fieldInvalid('anchorDate', `a date from the start to one interval later (${latestAnchor})`);
  }
  // With a later anchor, the first period is the one that ends on the anchor (index −1); the tenant
  // pays only for the days from the start, prorated with the same rule as a plan change.
  const periodIndex = anchorDate === command.today ? 0 : -1;
  const period = periodAt(anchorDate, command.terms.interval, periodIndex);
  const firstPeriodCharge =
    periodIndex === 0
      ? command.terms.price
      : cancellationCredit(command.terms.price, period, command.today).amount;
  return accept({
    type: 'SubscriptionStarted',
    data: {
      ...base,
      trialEndsOn: null,
      anchorDate,
      period,
      periodIndex,
      firstPeriodCharge: toMoneyJson(firstPeriodCharge),
    },
  });
}

function changePlan(command: ChangePlan, state: SubscriptionState): SubscriptionDecision {
  if (state.status !== 'active' && state.status !== 'trialing') return notActive(state.status);
  const bad = firstOf(checkTerms(command.terms), checkDate(command.today, 'today'));
  if (bad !== null) return bad;
  if (command.today < state.asOf) return outOfOrder(state.asOf);
  const periodEnd = state.status === 'trialing' ? state.trialEndsOn : state.currentPeriod.end;
  if (command.today >= periodEnd) {
    return refuse(
      'period_over',
      `the ${state.status === 'trialing' ? 'trial' : 'period'} ended on ${periodEnd}`,
    );
  }
  if (command.terms.price.currency !== state.terms.price.currency) {
    return refuse(
      'currency_mismatch',
      `the subscription is billed in ${state.terms.price.currency}`,
      'terms.price',
    );
  }
  const target = state.status === 'active' ? (state.pendingChange?.terms ?? state.terms) : state.terms;
  if (sameTerms(command.terms, target))
    return refuse('plan_unchanged', 'the subscription already has these terms');
  const { direction, timing } = classifyPlanChange(state.terms, command.terms);
  const from = subscriptionTermsToJson(state.terms);
  const to = subscriptionTermsToJson(command.terms);
  if (state.status === 'trialing') {
    // Nothing was paid during a trial, so any move applies at once and nothing is prorated.
    return accept({
      type: 'PlanChanged',
      data: {
        subscriptionId: state.subscriptionId,
        changedOn: command.today,
        direction,
        from,
        to,
        proration: null,
        anchorDate: state.anchorDate,
        period: null,
        periodIndex: null,
      },
    });
  }
  // Asking for the current terms while a change is pending withdraws it: the renewal keeps them.
  if (timing === 'at_period_end' || sameTerms(command.terms, state.terms)) {
    return accept({
      type: 'PlanChangeScheduled',
      data: {
        subscriptionId: state.subscriptionId,
        scheduledOn: command.today,
        effectiveOn: periodEnd,
        direction,
        to,
      },
    });
  }
  const change = prorateUpgrade(
    state.terms,
    command.terms,
    { period: state.currentPeriod, anchorDate: state.anchorDate, periodIndex: state.periodIndex },
    command.today,
  );
  return accept({
    type: 'PlanChanged',
    data: {
      subscriptionId: state.subscriptionId,
      changedOn: command.today,
      direction,
      from,
      to,
      proration: prorationToJson(change.proration),
      anchorDate: change.anchorDate,
      period: change.period,
      periodIndex: change.periodIndex,
    },
  });
}

function periodOf(state: SubscriptionState): Period {
  if (state.status !== 'active' && state.status !== 'past_due' && state.status !== 'suspended') {
    throw new InvariantViolation(`a ${state.status} subscription has no billing period`);
  }
  return state.currentPeriod;
}

function outOfOrder(asOf: CalendarDate): Refused {
  return refuse(
    'date_out_of_order',
    `the subscription has facts dated ${asOf}; a command cannot be dated earlier`,
    'today',
  );
}

function notTrialing(status: string): Refused {
  return refuse('subscription_not_trialing', `the subscription is ${status}, not trialing`);
}

function notActive(status: string): Refused {
  return refuse('subscription_not_active', `the subscription is ${status}`);
}

export interface PlanChangePreview {
  readonly direction: ChangeDirection;
  readonly timing: ChangeTiming;
  readonly effectiveOn: CalendarDate;
  /** Null when nothing is prorated: during a trial, or when the change waits for the period end. */
  readonly proration: ProrationJson | null;
}

/**
 * What a ChangePlan would do, without doing it: the same decision `decide` takes, so the amounts a
 * tenant is shown are exactly the amounts that will be billed.
 */
export function previewPlanChange(
  command: ChangePlan,
  state: SubscriptionState,
): { readonly ok: true; readonly preview: PlanChangePreview } | Refused {
  const decision = decideSubscription(command, state);
  if (!decision.ok) return decision;
  const [event] = decision.events;
  switch (event?.type) {
    case 'PlanChanged':
      return {
        ok: true,
        preview: {
          direction: event.data.direction,
          timing: 'immediately',
          effectiveOn: event.data.changedOn,
          proration: event.data.proration,
        },
      };
    case 'PlanChangeScheduled':
      return {
        ok: true,
        preview: {
          direction: event.data.direction,
          timing: 'at_period_end',
          effectiveOn: event.data.effectiveOn,
          proration: null,
        },
      };
    default:
      throw new InvariantViolation(`ChangePlan decided ${event?.type ?? 'nothing'}`);
  }
}

export const subscriptionDecider: Decider<
  SubscriptionCommand,
  SubscriptionEvent,
  SubscriptionState,
  SubscriptionRefusalCode
> = {
  initialState: initialSubscriptionState,
  evolve: evolveSubscription,
  decide: decideSubscription,
};
