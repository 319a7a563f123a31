import { type Kysely, sql } from 'kysely';

/**
 * The PostgreSQL event log (see docs/rfc/001-event-log.md).
 *
 * - `ledger_streams` holds one row per stream: its last revision (-1 before the first event), the
 *   hash of its last event, and whether it is tombstoned. Appends lock this row, so appends to one
 *   stream serialise while appends to different streams run in parallel.
 * - `ledger_events` is append-only (a trigger refuses UPDATE and DELETE). Log order is
 *   (transaction_id, global_position): readers only take rows whose transaction id is below the
 *   settled horizon (`ledger_horizon`: the oldest append still in flight), so a row that commits
 *   late can never appear behind a checkpoint.
 * - `ledger_append` does the whole append in one round trip: lock, idempotency check, expected
 *   state check, hash chain, insert, head update. Events arrive as one jsonb array of
 *   { id, type, v (schema version), data, metadata, ch (content hash) }.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE ledger_streams (
      stream_name text PRIMARY KEY,
      revision bigint NOT NULL,
      head_hash text NOT NULL,
      deleted boolean NOT NULL DEFAULT false
    );

    CREATE TABLE ledger_events (
      global_position bigint GENERATED ALWAYS AS IDENTITY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_name text NOT NULL,
      revision bigint NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      schema_version integer NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      content_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (stream_name, revision)
    );
    CREATE UNIQUE INDEX ledger_events_event_id ON ledger_events (event_id);
    CREATE INDEX ledger_events_log_order ON ledger_events (transaction_id, global_position);

    CREATE FUNCTION ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'ledger_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER ledger_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_events
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_change();

    CREATE FUNCTION ledger_append(p_stream text, p_expected text, p_events jsonb)
    RETURNS TABLE (status text, actual_revision bigint, last_revision bigint, last_tx text, last_gp bigint)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_count integer := jsonb_array_length(p_events);
      v_revision bigint;
      v_head text;
      v_deleted boolean;
      v_found_stream text;
      v_found_revision bigint;
      v_matching integer;
      v_hashes text[] := ARRAY[]::text[];
      v_prev text;
      v_gp bigint;
    BEGIN
      -- An append runs in a transaction of its own (or as its first write): its transaction id is
      -- then taken while it holds a lock on ledger_streams, which is what ledger_horizon relies on.
      IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'ledger_append must be the first write of its transaction'
          USING ERRCODE = 'invalid_transaction_state';
      END IF;
      SELECT s.revision, s.head_hash, s.deleted INTO v_revision, v_head, v_deleted
        FROM ledger_streams s WHERE s.stream_name = p_stream FOR UPDATE;
      IF NOT FOUND THEN
        INSERT INTO ledger_streams (stream_name, revision, head_hash) VALUES (p_stream, -1, repeat('0', 64))
          ON CONFLICT (stream_name) DO NOTHING;
        SELECT s.revision, s.head_hash, s.deleted INTO v_revision, v_head, v_deleted
          FROM ledger_streams s WHERE s.stream_name = p_stream FOR UPDATE;
      END IF;

      IF v_deleted THEN
        RETURN QUERY SELECT 'deleted'::text, v_revision, NULL::bigint, NULL::text, NULL::bigint;
        RETURN;
      END IF;

      -- Idempotency by event id: a retry of an append that already landed returns the first result.
      SELECT e.stream_name, e.revision INTO v_found_stream, v_found_revision
        FROM ledger_events e WHERE e.event_id = (p_events->0->>'id')::uuid;
      IF FOUND THEN
        IF v_found_stream <> p_stream THEN
          RETURN QUERY SELECT 'duplicate_id'::text, v_revision, NULL::bigint, v_found_stream, NULL::bigint;
          RETURN;
        END IF;
        SELECT count(*) INTO v_matching
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS u(e, ord)
          JOIN ledger_events e ON e.stream_name = p_stream AND e.revision = v_found_revision + u.ord - 1
                              AND e.event_id = (u.e->>'id')::uuid;
        IF v_matching = v_count THEN
          RETURN QUERY SELECT 'idempotent'::text, v_revision, e.revision, e.transaction_id::text, e.global_position
            FROM ledger_events e WHERE e.stream_name = p_stream AND e.revision = v_found_revision + v_count - 1;
          RETURN;
        END IF;
        RETURN QUERY SELECT 'wrong_expected'::text, v_revision, NULL::bigint, NULL::text, NULL::bigint;
        RETURN;
      END IF;

      IF (p_expected = 'no_stream' AND v_revision <> -1)
         OR (p_expected = 'stream_exists' AND v_revision = -1)
         OR (p_expected NOT IN ('any', 'no_stream', 'stream_exists') AND v_revision <> p_expected::bigint) THEN
        RETURN QUERY SELECT 'wrong_expected'::text, v_revision, NULL::bigint, NULL::text, NULL::bigint;
        RETURN;
      END IF;

      -- The hash chain (eventstore/hashing.ts defines it; verify recomputes it in TypeScript).
      v_prev := v_head;
      FOR i IN 1..v_count LOOP
        v_prev := encode(sha256(convert_to(
          v_prev || '|' || p_stream || '|' || (v_revision + i)::text || '|' || (p_events->(i - 1)->>'ch'), 'UTF8')), 'hex');
        v_hashes[i] := v_prev;
      END LOOP;

      WITH inserted AS (
        INSERT INTO ledger_events
          (stream_name, revision, event_id, event_type, schema_version, data, metadata, content_hash, hash)
        SELECT p_stream, v_revision + u.ord, (u.e->>'id')::uuid, u.e->>'type', (u.e->>'v')::integer,
               u.e->'data', u.e->'metadata', u.e->>'ch', v_hashes[u.ord]
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS u(e, ord)
          ORDER BY u.ord
        RETURNING global_position
      )
      SELECT max(global_position) INTO v_gp FROM inserted;

      UPDATE ledger_streams SET revision = v_revision + v_count, head_hash = v_prev WHERE stream_name = p_stream;

      RETURN QUERY SELECT 'ok'::text, v_revision, v_revision + v_count, pg_current_xact_id()::text, v_gp;
    END
    $fn$;

    -- The settled horizon: every event whose transaction id is below it is committed (or rolled
    -- back) for good, so readers may pass it. Only transactions that write events hold it back —
    -- not every writing transaction on the server, as pg_snapshot_xmin alone would. A transaction
    -- still running at the snapshot holds it back when it holds a lock on ledger_streams (an
    -- append in flight) or has finished since (it may have been one). See docs/rfc/001-event-log.md.
    CREATE FUNCTION ledger_horizon(p_snap pg_snapshot) RETURNS xid8 LANGUAGE sql VOLATILE AS $fn$
      WITH appenders AS MATERIALIZED (
        SELECT DISTINCT own.transactionid::text::bigint AS xid32
          FROM pg_locks lock
          JOIN pg_locks own ON own.pid = lock.pid AND own.locktype = 'transactionid' AND own.granted
         WHERE lock.locktype = 'relation'
           AND lock.relation = 'ledger_streams'::regclass
           AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      )
      SELECT COALESCE(min(x), pg_snapshot_xmax(p_snap))
        FROM pg_snapshot_xip(p_snap) AS x
       WHERE (x::text::bigint & 4294967295) IN (SELECT xid32 FROM appenders)
          OR pg_xact_status(x) IS DISTINCT FROM 'in progress'
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP FUNCTION ledger_horizon;
    DROP FUNCTION ledger_append;
    DROP TABLE ledger_events;
    DROP FUNCTION ledger_events_refuse_change;
    DROP TABLE ledger_streams;
  `.execute(db);
}
