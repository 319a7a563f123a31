import { type Kysely, sql } from 'kysely';

/**
 * Read models for subscriptions, SaaS metrics and overdue risk, and two follow-ups to the first
 * read models: an invoice being issued (`issuing`, the number reserved) is not yet `issued`, and a
 * payment's allocation plan records the part credited to the customer's balance.
 *
 * MRR is kept as exact annualised amounts (`arr_minor`, numeric): MRR = ARR / 12 is computed on
 * read, so no per-row quotient rounding ever adds up (docs/metrics.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE rm_invoices DROP COLUMN status;
    ALTER TABLE rm_invoices ADD COLUMN status text GENERATED ALWAYS AS (
      CASE
        WHEN state IN ('draft', 'issuing', 'voided', 'written_off') THEN state
        WHEN amount_due_minor = 0 AND credited_total_minor = total_minor THEN 'credited'
        WHEN state IN ('paid', 'overdue') THEN state
        WHEN paid_minor + customer_credit_applied_minor > 0 THEN 'partially_paid'
        ELSE 'issued'
      END
    ) STORED;
    CREATE INDEX rm_invoices_status ON rm_invoices (status, due_on, invoice_id);

    ALTER TABLE rm_payments ADD COLUMN credit_to_balance_minor bigint NOT NULL DEFAULT 0;

    CREATE TABLE rm_subscriptions (
      subscription_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      status text NOT NULL,
      plan_code text NOT NULL,
      plan_version integer NOT NULL,
      billing_interval text NOT NULL,
      currency text NOT NULL,
      price_minor bigint NOT NULL,
      started_on date NOT NULL,
      trial_ends_on date,
      converted_on date,
      period_start date,
      period_end date,
      past_due_invoice_id text,
      scheduled_change jsonb,
      cancellation_effective_on date,
      ended_on date,
      end_reason text,
      position text NOT NULL
    );
    CREATE INDEX rm_subscriptions_tenant ON rm_subscriptions (tenant_id, started_on DESC, subscription_id);
    CREATE INDEX rm_subscriptions_status ON rm_subscriptions (status, plan_code, subscription_id);
    CREATE INDEX rm_subscriptions_renewal ON rm_subscriptions (period_end, subscription_id) WHERE status IN ('active', 'past_due');

    -- Metrics: each subscription's current MRR inputs, each tenant's running state, and the
    -- tenant's end-of-day ARR on every day it changed, with that day's classified movement.
    CREATE TABLE rm_mrr_subscriptions (
      subscription_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      status text NOT NULL,
      billing_interval text NOT NULL,
      currency text NOT NULL,
      price_minor bigint NOT NULL,
      started_on date NOT NULL,
      trial boolean NOT NULL,
      converted_on date
    );
    CREATE INDEX rm_mrr_subscriptions_tenant ON rm_mrr_subscriptions (tenant_id);

    CREATE TABLE rm_mrr_tenants (
      tenant_id text PRIMARY KEY,
      currency text NOT NULL,
      arr_minor numeric NOT NULL,
      last_day date NOT NULL,
      arr_at_start_of_last_day numeric NOT NULL,
      paid_before_last_day boolean NOT NULL
    );

    CREATE TABLE rm_mrr_days (
      tenant_id text NOT NULL,
      day date NOT NULL,
      currency text NOT NULL,
      arr_start_minor numeric NOT NULL,
      arr_end_minor numeric NOT NULL,
      movement text,
      PRIMARY KEY (tenant_id, day)
    );
    CREATE INDEX rm_mrr_days_day ON rm_mrr_days (day, tenant_id);

    -- Overdue risk: what the score needs per invoice, tenant and failed payment, and the score.
    CREATE TABLE rm_risk_invoices (
      invoice_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      currency text NOT NULL,
      state text NOT NULL,
      total_minor bigint,
      amount_due_minor bigint NOT NULL DEFAULT 0,
      issued_on date,
      due_on date,
      paid_on date
    );
    CREATE INDEX rm_risk_invoices_tenant ON rm_risk_invoices (tenant_id, issued_on DESC);

    CREATE TABLE rm_risk_tenants (
      tenant_id text PRIMARY KEY,
      customer_since date NOT NULL
    );

    CREATE TABLE rm_risk_payment_failures (
      payment_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      failed_on date NOT NULL
    );
    CREATE INDEX rm_risk_payment_failures_tenant ON rm_risk_payment_failures (tenant_id, failed_on);

    CREATE TABLE rm_overdue_risk (
      tenant_id text PRIMARY KEY,
      as_of date NOT NULL,
      currency text NOT NULL,
      amount_due_minor bigint NOT NULL,
      score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
      band text NOT NULL,
      model_version integer NOT NULL,
      factors jsonb NOT NULL,
      -- The log position the score reflects: between two scores of one day, the later one wins.
      position text NOT NULL
    );
    CREATE INDEX rm_overdue_risk_score ON rm_overdue_risk (score DESC, tenant_id);

    -- Written by the daily job as days pass (not by the projector: it depends on the date the job
    -- runs, so it is not part of a rebuild). The newer of this and rm_overdue_risk is current.
    CREATE TABLE overdue_risk_daily (
      tenant_id text NOT NULL,
      as_of date NOT NULL,
      currency text NOT NULL,
      amount_due_minor bigint NOT NULL,
      score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
      band text NOT NULL,
      model_version integer NOT NULL,
      factors jsonb NOT NULL,
      position text NOT NULL,
      PRIMARY KEY (tenant_id, as_of)
    );
    CREATE INDEX overdue_risk_daily_day ON overdue_risk_daily (as_of, score DESC);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE overdue_risk_daily, rm_overdue_risk, rm_risk_payment_failures, rm_risk_tenants, rm_risk_invoices,
      rm_mrr_days, rm_mrr_tenants, rm_mrr_subscriptions, rm_subscriptions;
    ALTER TABLE rm_payments DROP COLUMN credit_to_balance_minor;
  `.execute(db);
}
