import { type Kysely, sql } from 'kysely';

/**
 * Dunning read models: every reminder (the schedule's and operators'), and the promise to pay in
 * force on each invoice with the money applied since. And reminders for the risk score get a key
 * per reminder instead of per stage, since an operator's reminder has no stage: existing rows get
 * the key the projection now gives a scheduled one (`stage:<n>`), so no rebuild is needed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A table swapped in by a rebuild keeps its shadow's constraint name: look the key up by kind.
  const { rows } = await sql<{ conname: string }>`
    SELECT conname FROM pg_constraint
     WHERE conrelid = 'rm_risk_reminders'::regclass AND contype = 'p'`.execute(db);
  const primaryKey = rows[0]?.conname;
  await sql`
    ALTER TABLE rm_risk_reminders ADD COLUMN reminder_key text;
    UPDATE rm_risk_reminders SET reminder_key = 'stage:' || stage;
    ALTER TABLE rm_risk_reminders ALTER COLUMN reminder_key SET NOT NULL;
  `.execute(db);
  if (primaryKey !== undefined) {
    await sql`ALTER TABLE rm_risk_reminders DROP CONSTRAINT ${sql.id(primaryKey)}`.execute(db);
  }
  await sql`
    ALTER TABLE rm_risk_reminders ALTER COLUMN stage DROP NOT NULL;
    ALTER TABLE rm_risk_reminders ADD PRIMARY KEY (invoice_id, reminder_key);

    CREATE TABLE rm_dunning_reminders (
      -- The ReminderSent event's id.
      reminder_id text PRIMARY KEY,
      invoice_id text NOT NULL,
      tenant_id text NOT NULL,
      trigger text NOT NULL,
      stage integer,
      channel text NOT NULL,
      sent_on date NOT NULL,
      sent_at timestamptz NOT NULL,
      sent_by_kind text,
      sent_by_id text,
      note text
    );
    CREATE INDEX rm_dunning_reminders_tenant ON rm_dunning_reminders (tenant_id, sent_at DESC);

    -- The promise in force per invoice (a later promise replaces it) and what happened since.
    CREATE TABLE rm_payment_promises (
      invoice_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      -- The PaymentPromised event's id.
      promise_id text NOT NULL,
      currency text NOT NULL,
      promised_on date NOT NULL,
      amount_minor bigint NOT NULL,
      amount_due_when_promised_minor bigint NOT NULL,
      note text,
      recorded_on date NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by_kind text NOT NULL,
      recorded_by_id text NOT NULL,
      paid_since_minor bigint NOT NULL DEFAULT 0,
      amount_due_minor bigint NOT NULL,
      written_off boolean NOT NULL DEFAULT false
    );
    CREATE INDEX rm_payment_promises_tenant ON rm_payment_promises (tenant_id, recorded_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE rm_payment_promises, rm_dunning_reminders;
    DELETE FROM rm_risk_reminders WHERE stage IS NULL;
    ALTER TABLE rm_risk_reminders DROP CONSTRAINT rm_risk_reminders_pkey;
    ALTER TABLE rm_risk_reminders ADD PRIMARY KEY (invoice_id, stage);
    ALTER TABLE rm_risk_reminders DROP COLUMN reminder_key;
  `.execute(db);
}
