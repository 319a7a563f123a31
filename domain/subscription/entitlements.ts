import type { UsageMeter } from '../catalog/plan.ts';
import type { CalendarDate } from '../shared/calendar-date.ts';
import { assertNever } from '../shared/decider.ts';
import type { SubscriptionState } from './subscription.ts';

/**
 * What the core product asks before serving a tenant: may it use the service today, and with which
 * quotas. A pure function of the subscription's state, the tenant's status and the date, so the
 * answer for any past day can be recomputed from the log.
 */
export type EntitlementReason =
  | 'trialing'
  | 'active'
  | 'past_due_grace'
  | 'trial_ended'
  | 'subscription_suspended'
  | 'subscription_canceled'
  | 'trial_expired'
  | 'no_subscription'
  | 'tenant_suspended'
  | 'tenant_closed';

export interface Quota {
  readonly meter: UsageMeter;
  /** Null: unlimited. */
  readonly includedQuantity: number | null;
  /** Whether usage past the included quantity is allowed (and billed), or the quota is a hard cap. */
  readonly overageAllowed: boolean;
}

export interface Entitlements {
  readonly allowed: boolean;
  readonly reason: EntitlementReason;
  readonly planCode: string | null;
  readonly planVersion: number | null;
  readonly quotas: readonly Quota[];
  /** The trial end or the current period end (exclusive): when the answer is next due to change. */
  readonly periodEndsOn: CalendarDate | null;
}

const none: Omit<Entitlements, 'reason'> = {
  allowed: false,
  planCode: null,
  planVersion: null,
  quotas: [],
  periodEndsOn: null,
};

export function entitlements(
  subscription: SubscriptionState,
  today: CalendarDate,
  tenantStatus: 'active' | 'suspended' | 'closed' = 'active',
): Entitlements {
  // A tenant-level decision (suspension for abuse, closure) overrides whatever the subscription says.
  if (tenantStatus === 'suspended') return { ...none, reason: 'tenant_suspended' };
  if (tenantStatus === 'closed') return { ...none, reason: 'tenant_closed' };
  if (subscription.status === 'none') return { ...none, reason: 'no_subscription' };
  const grant = (reason: EntitlementReason, until: CalendarDate): Entitlements => ({
    allowed: true,
    reason,
    planCode: subscription.terms.planCode,
    planVersion: subscription.terms.planVersion,
    quotas: subscription.terms.meters.map((m) => ({
      meter: m.meter,
      includedQuantity: m.includedQuantity,
      overageAllowed: m.overage !== null,
    })),
    periodEndsOn: until,
  });
  switch (subscription.status) {
    case 'trialing':
      // Past the trial end with a payment method on file, the conversion is only waiting for the
      // scheduler: the tenant keeps the service rather than losing it to a job's delay.
      if (today < subscription.trialEndsOn || subscription.paymentMethodId !== null) {
        return grant('trialing', subscription.trialEndsOn);
      }
      return { ...none, reason: 'trial_ended' };
    case 'active':
      return grant('active', subscription.currentPeriod.end);
    case 'past_due':
      // Dunning decides when to suspend; until then the tenant is served while it pays.
      return grant('past_due_grace', subscription.currentPeriod.end);
    case 'suspended':
      return { ...none, reason: 'subscription_suspended' };
    case 'canceled':
      return { ...none, reason: 'subscription_canceled' };
    case 'expired':
      return { ...none, reason: 'trial_expired' };
    default:
      return assertNever(subscription, 'subscription state');
  }
}
