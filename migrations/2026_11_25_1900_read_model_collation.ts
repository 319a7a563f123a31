import { type Kysely, sql } from 'kysely';

/**
 * Read-model identifiers compare byte by byte (`COLLATE "C"`): ids, codes, statuses, currencies
 * and log positions. The port orders positions by plain string comparison, and "C" is exactly
 * that on any server, whatever its locale; it is also what lets PostgreSQL compare keys with
 * memcmp and abbreviated keys instead of the locale's strcoll — the audit trail's indexes build in
 * about three quarters of the time, and every upsert's key lookup is cheaper.
 *
 * Words people read and sort (names, descriptions, reasons, notes, messages) keep the server's
 * collation. The audit trail's unique index on event ids goes: no query reads it, the primary key
 * already holds one row per log position, and the event store keeps ids unique.
 */
const identifierColumns: Record<string, readonly string[]> = {
  rm_audit_streams: ['stream_name', 'tenant_id'],
  rm_audit_trail: [
    'position',
    'event_id',
    'stream_name',
    'entity_type',
    'entity_id',
    'event_type',
    'tenant_id',
    'actor_kind',
    'actor_id',
    'correlation_id',
    'causation_id',
    'idempotency_key',
  ],
  rm_balance_invoices: ['invoice_id', 'tenant_id', 'currency'],
  rm_credit_notes: [
    'credit_note_id',
    'invoice_id',
    'tenant_id',
    'number',
    'invoice_number',
    'currency',
    'position',
  ],
  rm_customer_balances: ['tenant_id', 'currency'],
  rm_dunning_reminders: [
    'reminder_id',
    'invoice_id',
    'tenant_id',
    'trigger',
    'channel',
    'sent_by_kind',
    'sent_by_id',
  ],
  rm_invoice_lines: ['invoice_id', 'line_id', 'kind', 'currency'],
  // `state` feeds the generated `status`, whose collation follows it: both stay as they are.
  rm_invoices: ['invoice_id', 'tenant_id', 'currency', 'country', 'number', 'position'],
  rm_mrr_day_totals: ['currency'],
  rm_mrr_days: ['tenant_id', 'currency', 'movement'],
  rm_mrr_subscriptions: ['subscription_id', 'tenant_id', 'status', 'billing_interval', 'currency'],
  rm_mrr_tenants: ['tenant_id', 'currency'],
  rm_overdue_risk: ['tenant_id', 'currency', 'band', 'position'],
  rm_payment_allocations: ['payment_id', 'invoice_id', 'tenant_id', 'currency', 'position'],
  rm_payment_promises: [
    'invoice_id',
    'tenant_id',
    'promise_id',
    'currency',
    'recorded_by_kind',
    'recorded_by_id',
  ],
  rm_payments: [
    'payment_id',
    'tenant_id',
    'provider',
    'method',
    'status',
    'currency',
    'provider_session_id',
    'client_reference',
    'provider_transaction_id',
    'failure_code',
    'position',
  ],
  rm_plan_versions: ['plan_code'],
  rm_plans: ['plan_code', 'status', 'position'],
  rm_risk_invoices: ['invoice_id', 'tenant_id', 'currency', 'state'],
  rm_risk_payment_failures: ['payment_id', 'tenant_id'],
  rm_risk_reminders: ['invoice_id', 'tenant_id', 'reminder_key'],
  rm_risk_tenants: ['tenant_id'],
  rm_subscriptions: [
    'subscription_id',
    'tenant_id',
    'status',
    'plan_code',
    'billing_interval',
    'currency',
    'past_due_invoice_id',
    'end_reason',
    'position',
  ],
  rm_tenants: [
    'tenant_id',
    'tax_id',
    'trade_register_number',
    'country',
    'billing_currency',
    'time_zone',
    'preferred_language',
    'status',
    'position',
  ],
};

async function setCollation(db: Kysely<any>, collation: 'C' | 'default'): Promise<void> {
  for (const [table, columns] of Object.entries(identifierColumns)) {
    // One statement per table: its indexes are rebuilt once, not once per column.
    const changes = columns.map((c) =>
      collation === 'C'
        ? sql`ALTER COLUMN ${sql.id(c)} TYPE text COLLATE "C"`
        : sql`ALTER COLUMN ${sql.id(c)} TYPE text COLLATE "default"`,
    );
    await sql`ALTER TABLE ${sql.id(table)} ${sql.join(changes)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS rm_audit_trail_event_id`.execute(db);
  await setCollation(db, 'C');
}

export async function down(db: Kysely<any>): Promise<void> {
  await setCollation(db, 'default');
  await sql`CREATE UNIQUE INDEX rm_audit_trail_event_id ON rm_audit_trail (event_id)`.execute(db);
}
