import { type Kysely, sql } from 'kysely';

/** Reminders sent per invoice, for the overdue-risk factor "reminders already sent". */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rm_risk_reminders (
      invoice_id text NOT NULL,
      stage integer NOT NULL,
      tenant_id text NOT NULL,
      sent_on date NOT NULL,
      PRIMARY KEY (invoice_id, stage)
    );
    CREATE INDEX rm_risk_reminders_tenant ON rm_risk_reminders (tenant_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rm_risk_reminders`.execute(db);
}
