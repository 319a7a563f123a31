export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'suspended' | 'canceled' | 'expired';

export interface SubscriptionRow {
  subscription_id: string;
  tenant_id: string;
  status: SubscriptionStatus;
  plan_code: string;
  plan_version: number;
  billing_interval: 'monthly' | 'annual';
  currency: string;
  /** The price of one full period of `billing_interval`, before tax. */
  price_minor: string;
  started_on: string;
  trial_ends_on: string | null;
  converted_on: string | null;
  period_start: string | null;
  period_end: string | null;
  past_due_invoice_id: string | null;
  /** A plan change waiting for the period end: `{ effectiveOn, direction, planCode, planVersion, interval, priceMinor }`. */
  scheduled_change: Record<string, unknown> | null;
  cancellation_effective_on: string | null;
  ended_on: string | null;
  end_reason: string | null;
  position: string;
}

export interface SubscriptionsTables {
  rm_subscriptions: SubscriptionRow;
}
