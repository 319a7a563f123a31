import type { GlobalPosition } from '../../eventstore/port.ts';
import type { SqlClient } from '../../eventstore/sql.ts';
import type { PoisonEvent, Projection } from './projection.ts';

/** A projection's checkpoint row, as the runner and the status query read it. */
export interface CheckpointRow {
  readonly name: string;
  readonly version: number;
  readonly position: GlobalPosition;
  readonly status: 'running' | 'failed';
  readonly eventsProcessed: string;
  readonly lastRecordedAt: string | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly error: {
    readonly message: string;
    readonly eventId: string | null;
    readonly eventType: string | null;
    readonly streamName: string | null;
    readonly position: string | null;
    readonly failedAt: string | null;
  } | null;
}

interface RawRow {
  name: string;
  version: number;
  position: string;
  status: 'running' | 'failed';
  events_processed: string;
  last_recorded_at: Date | string | null;
  lease_owner: string | null;
  lease_expires_at: Date | string | null;
  error_message: string | null;
  error_event_id: string | null;
  error_event_type: string | null;
  error_stream_name: string | null;
  error_position: string | null;
  failed_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function toRow(raw: RawRow): CheckpointRow {
  return {
    name: raw.name,
    version: raw.version,
    position: raw.position,
    status: raw.status,
    eventsProcessed: String(raw.events_processed),
    lastRecordedAt: iso(raw.last_recorded_at),
    leaseOwner: raw.lease_owner,
    leaseExpiresAt: iso(raw.lease_expires_at),
    error:
      raw.error_message === null
        ? null
        : {
            message: raw.error_message,
            eventId: raw.error_event_id,
            eventType: raw.error_event_type,
            streamName: raw.error_stream_name,
            position: raw.error_position,
            failedAt: iso(raw.failed_at),
          },
  };
}

/** Creates the checkpoint rows of projections seen for the first time, at the start of the log. */
export async function registerProjections(db: SqlClient, projections: readonly Projection[]): Promise<void> {
  await db.query(
    `INSERT INTO projection_checkpoints (name, version)
       SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT (name) DO NOTHING`,
    [projections.map((p) => p.name), projections.map((p) => p.version)],
  );
}

export async function readCheckpoints(db: SqlClient, names?: readonly string[]): Promise<CheckpointRow[]> {
  const { rows } = await db.query<RawRow>(
    `SELECT * FROM projection_checkpoints WHERE $1::text[] IS NULL OR name = ANY($1::text[]) ORDER BY name`,
    [names === undefined ? null : [...names]],
  );
  return rows.map(toRow);
}

/**
 * Takes or renews the lease of every projection given that is running at the code's version and
 * whose lease is free, ours, or expired. Returns the positions of those we now hold.
 */
export async function acquireLeases(
  db: SqlClient,
  owner: string,
  leaseMs: number,
  projections: readonly Projection[],
): Promise<Map<string, GlobalPosition>> {
  const { rows } = await db.query<{ name: string; position: string }>(
    `UPDATE projection_checkpoints c
        SET lease_owner = $1, lease_expires_at = now() + $2::int * interval '1 millisecond'
       FROM unnest($3::text[], $4::int[]) AS p(name, version)
      WHERE c.name = p.name AND c.version = p.version AND c.status = 'running'
        AND (c.lease_owner IS NULL OR c.lease_owner = $1 OR c.lease_expires_at < now())
      RETURNING c.name, c.position`,
    [owner, leaseMs, projections.map((p) => p.name), projections.map((p) => p.version)],
  );
  return new Map(rows.map((r) => [r.name, r.position]));
}

export async function releaseLeases(db: SqlClient, owner: string): Promise<void> {
  await db.query(
    'UPDATE projection_checkpoints SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1',
    [owner],
  );
}

/**
 * Locks the checkpoint row inside the batch transaction and checks it is still where this runner
 * left it and still leased to it. Another process (a rebuild's swap, a runner that took over an
 * expired lease) may have moved it: then this batch must not be written.
 */
export async function lockCheckpoint(
  tx: SqlClient,
  name: string,
  owner: string,
  expected: GlobalPosition,
): Promise<boolean> {
  const { rows } = await tx.query<{ position: string; lease_owner: string | null; status: string }>(
    'SELECT position, lease_owner, status FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
    [name],
  );
  const row = rows[0];
  return (
    row !== undefined && row.position === expected && row.lease_owner === owner && row.status === 'running'
  );
}

export async function advanceCheckpoint(
  tx: SqlClient,
  name: string,
  position: GlobalPosition,
  eventsProcessed: number,
  lastRecordedAt: string,
  leaseMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE projection_checkpoints
        SET position = $2, events_processed = events_processed + $3, last_recorded_at = $4,
            lease_expires_at = now() + $5::int * interval '1 millisecond', updated_at = now()
      WHERE name = $1`,
    [name, position, eventsProcessed, lastRecordedAt, leaseMs],
  );
}

/** Stops a projection on the event it could not apply; the checkpoint stays just before it. */
export async function recordFailure(db: SqlClient, poison: PoisonEvent): Promise<void> {
  await db.query(
    `UPDATE projection_checkpoints
        SET status = 'failed', error_message = $2, error_event_id = $3, error_event_type = $4,
            error_stream_name = $5, error_position = $6, failed_at = now(), updated_at = now(),
            lease_owner = NULL, lease_expires_at = NULL
      WHERE name = $1`,
    [
      poison.projection,
      poison.message,
      poison.event.id,
      poison.event.type,
      poison.event.streamName,
      poison.event.position,
    ],
  );
}

/** After the code is fixed: run the projection again from its checkpoint (the failed event first). */
export async function clearFailure(db: SqlClient, name: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE projection_checkpoints
        SET status = 'running', error_message = NULL, error_event_id = NULL, error_event_type = NULL,
            error_stream_name = NULL, error_position = NULL, failed_at = NULL, updated_at = now()
      WHERE name = $1 AND status = 'failed'`,
    [name],
  );
  return (rowCount ?? 0) > 0;
}
