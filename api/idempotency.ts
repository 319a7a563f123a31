import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { principalId } from './auth/permissions.ts';
import { sha256Hex } from './auth/secrets.ts';
import { ApiError, validationError } from './problems.ts';

/**
 * `Idempotency-Key` on command routes. The first answer to a key is stored with a digest of the
 * request; the same key with the same request gets that answer again (marked
 * `Idempotent-Replayed: true`), the same key with another request gets a 422, and a key whose first
 * request is still running gets a 409. Keys are per caller, so two tenants cannot collide.
 *
 * The key also reaches the command (see `commandKey`): event ids derive from it, so even a replay
 * that slipped past this table (a crash between append and store) records nothing twice.
 */
export const idempotencyHeader = 'idempotency-key';
const keyPattern = /^[\x21-\x7e]{1,200}$/;
/** Answers larger than this are not stored; a retry then re-runs the command, which dedupes by event id. */
const storedBodyBytesMax = 256 * 1024;

interface IdempotencyState {
  readonly principal: string;
  readonly key: string;
  /** True when the request was given a generated key (none was sent). */
  readonly generated: boolean;
  finished: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyState | null;
  }
}

/** JSON with sorted keys, so that two bodies equal as data hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestDigest(request: FastifyRequest): string {
  return sha256Hex(
    [request.method, request.routeOptions.url ?? '', canonical(request.params), canonical(request.body)].join(
      '\n',
    ),
  );
}

/** The key a command records its events under: the caller's, scoped to the caller. */
export function commandKey(request: FastifyRequest): string {
  const state = request.idempotency;
  if (state === null) return `request:${request.id}:${randomUUID()}`;
  return `${state.principal}:${state.key}`;
}

export function installIdempotency(app: FastifyInstance, db: Kysely<any>): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.command !== true) return;
    const principal = request.principal === null ? 'anonymous' : principalId(request.principal);
    const header = request.headers[idempotencyHeader];
    if (header === undefined) {
      request.idempotency = { principal, key: randomUUID(), generated: true, finished: true };
      return;
    }
    if (typeof header !== 'string' || !keyPattern.test(header)) {
      throw validationError([
        { in: 'headers', field: idempotencyHeader, message: 'from 1 to 200 printable ASCII characters' },
      ]);
    }
    const digest = requestDigest(request);
    const inserted = await db
      .insertInto('api_idempotency_keys')
      .values({ principal, idempotency_key: header, request_sha256: digest })
      .onConflict((oc) => oc.columns(['principal', 'idempotency_key']).doNothing())
      .returning(['principal'])
      .execute();
    if (inserted.length === 1) {
      request.idempotency = { principal, key: header, generated: false, finished: false };
      return;
    }
    const stored = (await db
      .selectFrom('api_idempotency_keys')
      .selectAll()
      .where('principal', '=', principal)
      .where('idempotency_key', '=', header)
      .executeTakeFirst()) as
      | {
          request_sha256: string;
          status_code: number | null;
          content_type: string | null;
          response_body: string | null;
        }
      | undefined;
    if (stored === undefined) {
      throw new ApiError('idempotency_key_in_flight', 'retry in a moment');
    }
    if (stored.request_sha256 !== digest) {
      throw new ApiError(
        'idempotency_key_reused',
        'this Idempotency-Key was sent before with another request',
      );
    }
    if (stored.status_code === null || stored.response_body === null) {
      throw new ApiError('idempotency_key_in_flight', 'the first request with this key has not finished');
    }
    request.idempotency = { principal, key: header, generated: false, finished: true };
    return reply
      .code(stored.status_code)
      .header('content-type', stored.content_type ?? 'application/json; charset=utf-8')
      .header('idempotent-replayed', 'true')
      .serializer((payload: unknown) => payload as string)
      .send(stored.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.idempotency;
    if (state === null || state.finished) return payload;
    state.finished = true;
    const where = db
      .deleteFrom('api_idempotency_keys')
      .where('principal', '=', state.principal)
      .where('idempotency_key', '=', state.key);
    // A 5xx is not an answer: the key is released so the caller can retry.
    if (reply.statusCode >= 500 || typeof payload !== 'string' || payload.length > storedBodyBytesMax) {
      await where.execute();
      return payload;
    }
    await db
      .updateTable('api_idempotency_keys')
      .set({
        status_code: reply.statusCode,
        content_type: String(reply.getHeader('content-type') ?? 'application/json'),
        response_body: payload,
      })
      .where('principal', '=', state.principal)
      .where('idempotency_key', '=', state.key)
      .execute();
    return payload;
  });

  app.addHook('onResponse', async (request) => {
    const state = request.idempotency;
    if (state === null || state.finished) return;
    // The connection went away before an answer was sent: release the key.
    await db
      .deleteFrom('api_idempotency_keys')
      .where('principal', '=', state.principal)
      .where('idempotency_key', '=', state.key)
      .execute();
  });
}
