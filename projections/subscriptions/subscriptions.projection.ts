import { assertNever } from '../../domain/shared/decider.ts';
import type { SubscriptionEvent, SubscriptionTermsJson } from '../../domain/subscription/subscription.ts';
import { patch, type Projection, type Row, upsert } from '../runtime/projection.ts';

const table = 'rm_subscriptions';

export const subscriptionEventTypes = [
  'SubscriptionStarted',
  'PaymentMethodAttached',
  'TrialConverted',
  'TrialExpired',
  'SubscriptionRenewed',
  'PlanChanged',
  'PlanChangeScheduled',
  'SubscriptionPastDue',
  'SubscriptionSuspended',
  'SubscriptionReinstated',
  'SubscriptionCancellationScheduled',
  'SubscriptionCancellationWithdrawn',
  'SubscriptionCanceled',
] as const satisfies readonly SubscriptionEvent['type'][];

function terms(t: SubscriptionTermsJson): Row {
  return {
    plan_code: t.planCode,
    plan_version: t.planVersion,
    billing_interval: t.interval,
    currency: t.price.currency,
    price_minor: t.price.amountMinor,
  };
}

/** Subscriptions with the terms they run on, their period, and what is scheduled at its end. */
export const subscriptionsProjection: Projection = {
  name: 'subscriptions',
  version: 1,
  tables: [{ name: table, key: ['subscription_id'] }],
  eventTypes: subscriptionEventTypes,
  evolve(recorded) {
    const event = { type: recorded.type, data: recorded.data } as SubscriptionEvent;
    const position = recorded.position;
    const key = { subscription_id: event.data.subscriptionId };
    switch (event.type) {
      case 'SubscriptionStarted': {
        const d = event.data;
        return [
          upsert(table, {
            subscription_id: d.subscriptionId,
            tenant_id: d.tenantId,
            status: d.trialEndsOn === null ? 'active' : 'trialing',
            ...terms(d.terms),
            started_on: d.startedOn,
            trial_ends_on: d.trialEndsOn,
            period_start: d.period?.start ?? null,
            period_end: d.period?.end ?? null,
            position,
          }),
        ];
      }
      case 'PaymentMethodAttached':
        return [patch(table, key, { set: { position } })];
      case 'TrialConverted':
        return [
          patch(table, key, {
            set: {
              status: 'active',
              converted_on: event.data.convertedOn,
              period_start: event.data.period.start,
              period_end: event.data.period.end,
              position,
            },
          }),
        ];
      case 'TrialExpired':
        return [
          patch(table, key, {
            set: { status: 'expired', ended_on: event.data.expiredOn, end_reason: 'trial_expired', position },
          }),
        ];
      case 'SubscriptionRenewed':
        return [
          patch(table, key, {
            set: {
              ...terms(event.data.terms),
              period_start: event.data.period.start,
              period_end: event.data.period.end,
              ...(event.data.scheduledChangeApplied ? { scheduled_change: null } : {}),
              position,
            },
          }),
        ];
      case 'PlanChanged':
        return [
          patch(table, key, {
            set: {
              ...terms(event.data.to),
              period_start: event.data.period?.start ?? null,
              period_end: event.data.period?.end ?? null,
              scheduled_change: null,
              position,
            },
          }),
        ];
      case 'PlanChangeScheduled': {
        const to = event.data.to;
        return [
          patch(table, key, {
            set: {
              scheduled_change: {
                effectiveOn: event.data.effectiveOn,
                direction: event.data.direction,
                planCode: to.planCode,
                planVersion: to.planVersion,
                interval: to.interval,
                priceMinor: to.price.amountMinor,
              },
              position,
            },
          }),
        ];
      }
      case 'SubscriptionPastDue':
        return [
          patch(table, key, {
            set: { status: 'past_due', past_due_invoice_id: event.data.invoiceId, position },
          }),
        ];
      case 'SubscriptionSuspended':
        return [patch(table, key, { set: { status: 'suspended', position } })];
      case 'SubscriptionReinstated':
        return [patch(table, key, { set: { status: 'active', past_due_invoice_id: null, position } })];
      case 'SubscriptionCancellationScheduled':
        return [patch(table, key, { set: { cancellation_effective_on: event.data.effectiveOn, position } })];
      case 'SubscriptionCancellationWithdrawn':
        return [patch(table, key, { set: { cancellation_effective_on: null, position } })];
      case 'SubscriptionCanceled':
        return [
          patch(table, key, {
            set: {
              status: 'canceled',
              ended_on: event.data.canceledOn,
              end_reason: event.data.reason,
              position,
            },
          }),
        ];
      default:
        return assertNever(event, 'subscription event');
    }
  },
};
