import { type Kysely, sql } from 'kysely';

/**
 * Operational tables of the HTTP API: users, sessions, sign-in history, API tokens and the
 * idempotency-key replay store. They are not events: who may sign in is access control, not a
 * financial fact, and a password hash or a session must be deletable (see docs/api.md).
 *
 * Secrets are never stored: session ids and API tokens are kept as SHA-256 digests of random
 * values, passwords as argon2id hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE api_users (
      user_id text PRIMARY KEY,
      email text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('superadmin', 'accountant', 'auditor', 'tenant_admin', 'service')),
      tenant_id text,
      disabled boolean NOT NULL DEFAULT false,
      failed_sign_ins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((role IN ('tenant_admin', 'service')) = (tenant_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX api_users_email ON api_users (lower(email));

    CREATE TABLE api_sessions (
      session_id_sha256 text PRIMARY KEY,
      user_id text NOT NULL REFERENCES api_users (user_id),
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX api_sessions_user ON api_sessions (user_id);

    CREATE TABLE api_sign_ins (
      sign_in_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id text,
      succeeded boolean NOT NULL,
      reason text NOT NULL,
      ip text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX api_sign_ins_user ON api_sign_ins (user_id, sign_in_id);

    CREATE TABLE api_tokens (
      token_id text PRIMARY KEY,
      token_sha256 text NOT NULL UNIQUE,
      name text NOT NULL,
      tenant_id text NOT NULL,
      permissions text[] NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id);

    CREATE TABLE api_idempotency_keys (
      principal text NOT NULL,
      idempotency_key text NOT NULL,
      request_sha256 text NOT NULL,
      status_code integer,
      content_type text,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, idempotency_key)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE api_idempotency_keys;
    DROP TABLE api_tokens;
    DROP TABLE api_sign_ins;
    DROP TABLE api_sessions;
    DROP TABLE api_users;
  `.execute(db);
}
