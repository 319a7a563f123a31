import { type Kysely, sql } from 'kysely';

/**
 * The PostgreSQL event log (see docs/rfc/001-event-log.md).
 *
 * - `ledger_streams` holds one row per stream: its last revision (-1 before the first event), the
 *   hash of its last event, and whether it is tombstoned. Appends lock this row, so appends to one
 *   stream serialise while appends to different streams run in parallel.
 * - `ledger_events` is append-only (a trigger refuses UPDATE and DELETE). Log order is
 *   (transaction_id, global_position): readers only take rows whose transaction id is below the
 *   oldest running transaction, so a row that commits late can never appear behind a checkpoint.
 * - `ledger_append` does the whole append in one round trip: lock, idempotency check, expected
 *   state check, hash chain, insert, head update.
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

    CREATE FUNCTION ledger_append(
      p_stream text,
      p_expected text,
      p_ids uuid[],
      p_types text[],
      p_versions integer[],
      p_data jsonb[],
      p_metadata jsonb[],
      p_content_hashes text[]
    ) RETURNS TABLE (status text, actual_revision bigint, last_revision bigint, last_tx text, last_gp bigint)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_count integer := cardinality(p_ids);
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
        FROM ledger_events e WHERE e.event_id = p_ids[1];
      IF FOUND THEN
        IF v_found_stream <> p_stream THEN
          RETURN QUERY SELECT 'duplicate_id'::text, v_revision, NULL::bigint, v_found_stream, NULL::bigint;
          RETURN;
        END IF;
        SELECT count(*) INTO v_matching
          FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord)
          JOIN ledger_events e ON e.stream_name = p_stream AND e.revision = v_found_revision + u.ord - 1 AND e.event_id = u.id;
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
          v_prev || '|' || p_stream || '|' || (v_revision + i)::text || '|' || p_content_hashes[i], 'UTF8')), 'hex');
        v_hashes := v_hashes || v_prev;
      END LOOP;

      WITH inserted AS (
        INSERT INTO ledger_events
          (stream_name, revision, event_id, event_type, schema_version, data, metadata, content_hash, hash)
        SELECT p_stream, v_revision + u.ord, u.id, u.t, u.v, u.d, u.m, u.c, u.h
          FROM unnest(p_ids, p_types, p_versions, p_data, p_metadata, p_content_hashes, v_hashes)
               WITH ORDINALITY AS u(id, t, v, d, m, c, h, ord)
          ORDER BY u.ord
        RETURNING global_position
      )
      SELECT max(global_position) INTO v_gp FROM inserted;

      UPDATE ledger_streams SET revision = v_revision + v_count, head_hash = v_prev WHERE stream_name = p_stream;

      RETURN QUERY SELECT 'ok'::text, v_revision, v_revision + v_count, pg_current_xact_id()::text, v_gp;
    END
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP FUNCTION ledger_append;
    DROP TABLE ledger_events;
    DROP FUNCTION ledger_events_refuse_change;
    DROP TABLE ledger_streams;
  `.execute(db);
}
