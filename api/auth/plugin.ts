import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ApiError, forbidden, unauthenticated } from '../problems.ts';
import { resolveSessionForRequest, resolveToken, touchToken } from './accounts.ts';
import { can, type Permission, type Principal, rolePermissions } from './permissions.ts';
import { sameSecret, tokenPrefix } from './secrets.ts';

export const sessionCookieName = 'ledger_session';
export const csrfHeaderName = 'x-csrf-token';
/** A token's last use is written at most this often, so a busy machine client costs no writes. */
const tokenTouchIntervalMs = 60_000;
const tokenLengthMax = 200;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null on public routes reached without credentials. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The one permission the route needs; absent means any signed-in caller. */
    permission?: Permission;
    /** Reachable without credentials (health, docs, sign-in, provider webhooks). */
    public?: boolean;
    /** A command: accepts Idempotency-Key and is replayed by it. */
    command?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw unauthenticated('the Authorization header must be "Bearer <token>"');
  return match[1]!;
}

async function authenticate(db: Kysely<any>, request: FastifyRequest, now: Date): Promise<Principal | null> {
  const token = bearer(request);
  if (token !== null) {
    if (!token.startsWith(tokenPrefix) || token.length > tokenLengthMax) {
      throw unauthenticated('the API token is not valid');
    }
    const row = await resolveToken(db, token, now);
    if (row === null) throw unauthenticated('the API token is not valid, expired or revoked');
    return {
      kind: 'token',
      tokenId: row.tokenId,
      tenantId: row.tenantId,
      permissions: new Set(row.permissions),
      via: 'token',
    };
  }
  const sessionId = request.cookies[sessionCookieName];
  if (sessionId === undefined || sessionId === '') return null;
  if (sessionId.length > tokenLengthMax) return null;
  const session = await resolveSessionForRequest(db, sessionId, now, safeMethods.has(request.method));
  if (session === null) return null;
  if (!safeMethods.has(request.method) && request.routeOptions.config.public !== true) {
    // Synchronizer token: the value was handed out at sign-in and lives in the session row, so a
    // page on another origin (which the browser lets send our cookie) cannot know it.
    const sent = request.headers[csrfHeaderName];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      throw new ApiError(
        'csrf_token_invalid',
        `send the CSRF token from sign-in in the ${csrfHeaderName} header`,
      );
    }
  }
  return {
    kind: 'user',
    userId: session.user.userId,
    role: session.user.role,
    tenantId: session.user.tenantId,
    permissions: rolePermissions[session.user.role],
    via: 'session',
    sessionIdHash: session.sessionIdHash,
  };
}

/**
 * Authentication and authorisation, before anything else runs for the request: the caller is
 * resolved from a Bearer token or the session cookie, then the route's permission is checked.
 * A route that declares nothing needs a signed-in caller; `public` routes need nothing.
 */
/**
 * `now` is the app's clock, the one sign-in dates sessions with: a session is judged by the same
 * clock that set its expiry (in tests a fixed instant; a real clock here made every session look
 * expired once the fixed instant was more than a session's lifetime behind the wall clock).
 */
export function installAuth(app: FastifyInstance, db: Kysely<any>, now: () => Date): void {
  const touched = new Map<string, number>();
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // The docs pages come from a plugin and unknown paths get a 404: neither needs credentials.
    const isPublic =
      config.public === true || request.is404 || (request.routeOptions.url ?? '').startsWith('/api/docs');
    if (isPublic) {
      // Public routes still learn who calls when credentials are sent (sign-out, rate limits).
      request.principal = await authenticate(db, request, now()).catch(() => null);
      return;
    }
    const principal = await authenticate(db, request, now());
    if (principal === null) throw unauthenticated();
    request.principal = principal;
    if (config.permission !== undefined && !can(principal, config.permission)) {
      throw forbidden(`this needs the ${config.permission} permission`);
    }
    if (principal.kind === 'token') {
      const last = touched.get(principal.tokenId) ?? 0;
      if (Date.now() - last > tokenTouchIntervalMs) {
        touched.set(principal.tokenId, Date.now());
        if (touched.size > 10_000) touched.clear();
        void touchToken(db, principal.tokenId).catch(() => undefined);
      }
    }
  });
}

/** The principal of a route that is not public; asserting keeps handlers free of null checks. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthenticated();
  return request.principal;
}
