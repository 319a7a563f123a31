/** Each subscription's MRR inputs as the metrics projection last saw them. */
export interface MrrSubscriptionRow {
  subscription_id: string;
  tenant_id: string;
  /** As `domain/metrics` counts it: an expired trial counts as canceled. */
  status: 'trialing' | 'active' | 'past_due' | 'suspended' | 'canceled';
  billing_interval: 'monthly' | 'annual';
  currency: string;
  price_minor: string;
  started_on: string;
  trial: boolean;
  converted_on: string | null;
}

/** A tenant's running MRR state: its ARR now, and the day it last changed with where that day started. */
export interface MrrTenantRow {
  tenant_id: string;
  currency: string;
  arr_minor: string;
  last_day: string;
  arr_at_start_of_last_day: string;
  paid_before_last_day: boolean;
}

/** A tenant's ARR at the start and end of a day it changed, and how the change is classified. */
export interface MrrDayRow {
  tenant_id: string;
  day: string;
  currency: string;
  arr_start_minor: string;
  arr_end_minor: string;
  movement: 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation' | null;
}

/** The business's ARR change and change in paying tenants on a day, per currency (sums of the day rows). */
export interface MrrDayTotalRow {
  day: string;
  currency: string;
  arr_change_minor: string;
  paying_change: number;
}

export interface MetricsTables {
  rm_mrr_subscriptions: MrrSubscriptionRow;
  rm_mrr_tenants: MrrTenantRow;
  rm_mrr_days: MrrDayRow;
  rm_mrr_day_totals: MrrDayTotalRow;
}
