import { type Kysely, sql } from 'kysely';

/**
 * Read models built by the projectors in `projections/` (see docs/projections.md). Every table is
 * rebuilt from the log by `ledger rebuild`, which copies its shape (`LIKE … INCLUDING ALL`): a
 * column, default or index added here is carried into every rebuild.
 *
 * Money is bigint minor units; legal dates are `date`; instants are `timestamptz`. `position` is
 * the log position of the last event that changed the row (a string that sorts in log order).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rm_audit_trail (
      position text PRIMARY KEY,
      event_id text NOT NULL,
      stream_name text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      revision bigint NOT NULL,
      event_type text NOT NULL,
      schema_version integer NOT NULL,
      tenant_id text,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      actor_kind text NOT NULL,
      actor_id text NOT NULL,
      correlation_id text NOT NULL,
      causation_id text,
      idempotency_key text
    );
    CREATE UNIQUE INDEX rm_audit_trail_event_id ON rm_audit_trail (event_id);
    CREATE INDEX rm_audit_trail_stream ON rm_audit_trail (stream_name, revision);
    CREATE INDEX rm_audit_trail_entity ON rm_audit_trail (entity_type, entity_id, position);
    CREATE INDEX rm_audit_trail_tenant ON rm_audit_trail (tenant_id, position);
    CREATE INDEX rm_audit_trail_correlation ON rm_audit_trail (correlation_id, position);
    CREATE INDEX rm_audit_trail_type ON rm_audit_trail (event_type, position);

    CREATE TABLE rm_tenants (
      tenant_id text PRIMARY KEY,
      legal_name text NOT NULL,
      tax_id text NOT NULL,
      trade_register_number text NOT NULL,
      address jsonb NOT NULL,
      country text NOT NULL,
      billing_currency text NOT NULL,
      billing_email text NOT NULL,
      billing_phone text NOT NULL,
      time_zone text NOT NULL,
      tax_exempt boolean NOT NULL,
      tax_exemption_note text,
      payment_terms_days integer NOT NULL,
      preferred_language text NOT NULL,
      status text NOT NULL,
      registered_at timestamptz NOT NULL,
      suspended_at timestamptz,
      suspension_reason text,
      closed_at timestamptz,
      closure_reason text,
      position text NOT NULL
    );
    CREATE INDEX rm_tenants_name ON rm_tenants (lower(legal_name), tenant_id);
    CREATE INDEX rm_tenants_status ON rm_tenants (status, lower(legal_name), tenant_id);
    CREATE INDEX rm_tenants_country ON rm_tenants (country, tenant_id);
    CREATE INDEX rm_tenants_registered ON rm_tenants (registered_at, tenant_id);

    CREATE TABLE rm_plans (
      plan_code text PRIMARY KEY,
      name text NOT NULL,
      status text NOT NULL,
      latest_version integer NOT NULL,
      pricing jsonb NOT NULL,
      trial_days integer NOT NULL,
      meters jsonb NOT NULL,
      published_at timestamptz NOT NULL,
      retired_at timestamptz,
      position text NOT NULL
    );
    CREATE INDEX rm_plans_status ON rm_plans (status, plan_code);

    CREATE TABLE rm_plan_versions (
      plan_code text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      pricing jsonb NOT NULL,
      trial_days integer NOT NULL,
      meters jsonb NOT NULL,
      published_at timestamptz NOT NULL,
      PRIMARY KEY (plan_code, version)
    );

    CREATE TABLE rm_invoices (
      invoice_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      currency text NOT NULL,
      country text NOT NULL,
      payment_terms_days integer NOT NULL,
      state text NOT NULL,
      number text,
      issued_on date,
      due_on date,
      tax_rate_percent text,
      tax_exemption_mention text,
      subtotal_minor bigint,
      tax_minor bigint,
      total_minor bigint,
      amount_due_minor bigint NOT NULL DEFAULT 0,
      paid_minor bigint NOT NULL DEFAULT 0,
      customer_credit_applied_minor bigint NOT NULL DEFAULT 0,
      credited_total_minor bigint NOT NULL DEFAULT 0,
      written_off_minor bigint NOT NULL DEFAULT 0,
      lines_count integer NOT NULL DEFAULT 0,
      payments_count integer NOT NULL DEFAULT 0,
      credit_notes_count integer NOT NULL DEFAULT 0,
      overdue_on date,
      paid_on date,
      written_off_on date,
      write_off_reason text,
      void_reason text,
      drafted_at timestamptz NOT NULL,
      issued_at timestamptz,
      voided_at timestamptz,
      position text NOT NULL,
      -- The status the back office shows, derived as domain/invoice/invoice.ts derives it.
      status text GENERATED ALWAYS AS (
        CASE
          WHEN state IN ('draft', 'voided', 'written_off') THEN state
          WHEN amount_due_minor = 0 AND credited_total_minor = total_minor THEN 'credited'
          WHEN state IN ('paid', 'overdue') THEN state
          WHEN paid_minor + customer_credit_applied_minor > 0 THEN 'partially_paid'
          ELSE 'issued'
        END
      ) STORED
    );
    CREATE UNIQUE INDEX rm_invoices_number ON rm_invoices (number) WHERE number IS NOT NULL;
    CREATE INDEX rm_invoices_tenant ON rm_invoices (tenant_id, issued_on DESC, invoice_id DESC);
    CREATE INDEX rm_invoices_status ON rm_invoices (status, due_on, invoice_id);
    CREATE INDEX rm_invoices_issued ON rm_invoices (issued_on DESC, invoice_id DESC);
    CREATE INDEX rm_invoices_open ON rm_invoices (tenant_id, due_on) WHERE amount_due_minor > 0;

    CREATE TABLE rm_invoice_lines (
      invoice_id text NOT NULL,
      line_id text NOT NULL,
      line_no bigint NOT NULL,
      kind text NOT NULL,
      description text NOT NULL,
      quantity numeric NOT NULL,
      currency text NOT NULL,
      unit_price_minor bigint NOT NULL,
      amount_minor bigint NOT NULL,
      period_from date,
      period_to date,
      removed boolean NOT NULL DEFAULT false,
      PRIMARY KEY (invoice_id, line_id)
    );
    CREATE INDEX rm_invoice_lines_order ON rm_invoice_lines (invoice_id, line_no);

    CREATE TABLE rm_credit_notes (
      credit_note_id text PRIMARY KEY,
      invoice_id text NOT NULL,
      tenant_id text,
      number text NOT NULL,
      invoice_number text NOT NULL,
      issued_on date NOT NULL,
      reason text NOT NULL,
      currency text NOT NULL,
      net_minor bigint NOT NULL,
      tax_minor bigint NOT NULL,
      total_minor bigint NOT NULL,
      applied_to_amount_due_minor bigint NOT NULL,
      to_customer_balance_minor bigint NOT NULL,
      issued_at timestamptz NOT NULL,
      position text NOT NULL
    );
    CREATE UNIQUE INDEX rm_credit_notes_number ON rm_credit_notes (number);
    CREATE INDEX rm_credit_notes_invoice ON rm_credit_notes (invoice_id);
    CREATE INDEX rm_credit_notes_tenant ON rm_credit_notes (tenant_id, issued_on DESC, credit_note_id DESC);

    CREATE TABLE rm_payments (
      payment_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      provider text NOT NULL,
      method text,
      status text NOT NULL,
      currency text NOT NULL,
      expected_minor bigint NOT NULL,
      paid_minor bigint NOT NULL DEFAULT 0,
      refunded_minor bigint NOT NULL DEFAULT 0,
      allocated_minor bigint NOT NULL DEFAULT 0,
      invoice_ids jsonb NOT NULL,
      provider_session_id text,
      client_reference text,
      provider_transaction_id text,
      failure_code text,
      failure_message text,
      review_reason text,
      received_minor bigint,
      refunds_count integer NOT NULL DEFAULT 0,
      received_on date,
      started_at timestamptz NOT NULL,
      settled_at timestamptz,
      failed_at timestamptz,
      position text NOT NULL
    );
    CREATE INDEX rm_payments_tenant ON rm_payments (tenant_id, started_at DESC, payment_id DESC);
    CREATE INDEX rm_payments_status ON rm_payments (status, started_at DESC, payment_id DESC);
    CREATE INDEX rm_payments_provider_tx ON rm_payments (provider, provider_transaction_id);

    CREATE TABLE rm_payment_allocations (
      payment_id text NOT NULL,
      invoice_id text NOT NULL,
      tenant_id text,
      currency text NOT NULL,
      amount_received_minor bigint NOT NULL,
      amount_applied_minor bigint NOT NULL,
      excess_minor bigint NOT NULL,
      amount_due_after_minor bigint NOT NULL,
      applied_on date NOT NULL,
      applied_at timestamptz NOT NULL,
      position text NOT NULL,
      PRIMARY KEY (payment_id, invoice_id)
    );
    CREATE INDEX rm_payment_allocations_invoice ON rm_payment_allocations (invoice_id, position);

    -- What the customer-balance projection keeps per invoice to sum per tenant.
    CREATE TABLE rm_balance_invoices (
      invoice_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      currency text NOT NULL,
      issued boolean NOT NULL DEFAULT false,
      total_minor bigint NOT NULL DEFAULT 0,
      amount_due_minor bigint NOT NULL DEFAULT 0,
      paid_minor bigint NOT NULL DEFAULT 0,
      credited_minor bigint NOT NULL DEFAULT 0,
      written_off_minor bigint NOT NULL DEFAULT 0,
      due_on date
    );
    CREATE INDEX rm_balance_invoices_tenant ON rm_balance_invoices (tenant_id);

    CREATE TABLE rm_customer_balances (
      tenant_id text PRIMARY KEY,
      currency text NOT NULL,
      invoiced_minor bigint NOT NULL DEFAULT 0,
      paid_minor bigint NOT NULL DEFAULT 0,
      credited_minor bigint NOT NULL DEFAULT 0,
      written_off_minor bigint NOT NULL DEFAULT 0,
      receivable_minor bigint NOT NULL DEFAULT 0,
      credit_balance_minor bigint NOT NULL DEFAULT 0,
      open_invoices integer NOT NULL DEFAULT 0,
      oldest_due_on date
    );
    CREATE INDEX rm_customer_balances_receivable ON rm_customer_balances (receivable_minor DESC, tenant_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE rm_customer_balances, rm_balance_invoices, rm_payment_allocations, rm_payments,
      rm_credit_notes, rm_invoice_lines, rm_invoices, rm_plan_versions, rm_plans, rm_tenants, rm_audit_trail;
  `.execute(db);
}
