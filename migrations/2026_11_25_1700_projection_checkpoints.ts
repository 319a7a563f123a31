import { type Kysely, sql } from 'kysely';

/**
 * Projector checkpoints (see docs/projections.md).
 *
 * One row per projection: the log position its rows cover (committed in the same transaction as
 * those rows), the code version that built them, the lease that lets one process among several
 * run it, and the error that stopped it when an event could not be projected.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE projection_checkpoints (
      name text PRIMARY KEY,
      version integer NOT NULL,
      position text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'failed')),
      events_processed bigint NOT NULL DEFAULT 0,
      last_recorded_at timestamptz,
      lease_owner text,
      lease_expires_at timestamptz,
      error_message text,
      error_event_id text,
      error_event_type text,
      error_stream_name text,
      error_position text,
      failed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE projection_checkpoints`.execute(db);
}
