import { type Kysely, sql } from 'kysely';

/**
 * The tenant of each stream, for the audit trail: many events (a line added, an invoice paid)
 * name only their aggregate, so "every event of tenant X" goes through the streams X owns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rm_audit_streams (
      stream_name text PRIMARY KEY,
      tenant_id text NOT NULL
    );
    CREATE INDEX rm_audit_streams_tenant ON rm_audit_streams (tenant_id, stream_name);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rm_audit_streams`.execute(db);
}
