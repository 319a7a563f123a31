import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Permission, type Role, rolePermissions, tenantScopedRoles } from './permissions.ts';
import {
  decoyPasswordHash,
  hashPassword,
  newApiToken,
  randomSecret,
  sha256Hex,
  verifyPassword,
} from './secrets.ts';

/**
 * Users, sessions, sign-in history and API tokens: ordinary rows, not events (see the migration
 * `2026_11_25_1630_api_access`). Every function takes the database first, as the read models do.
 */

/** After this many failed sign-ins in a row the account is locked for `lockDurationMs`. */
export const failedSignInsMax = 5;
export const lockDurationMs = 15 * 60_000;
/** A session lasts a working day; signing in again is cheap, a stolen cookie ages out. */
export const sessionLifetimeMs = 12 * 3_600_000;
export const sessionsPerUserMax = 20;
export const tokensPerTenantMax = 50;
export const signInHistoryPageMax = 100;
export const emailLengthMax = 254;

export interface UserRow {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly tenantId: string | null;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

interface UserRecord {
  user_id: string;
  email: string;
  password_hash: string;
  role: Role;
  tenant_id: string | null;
  disabled: boolean;
  failed_sign_ins: number;
  locked_until: Date | string | null;
  created_at: Date | string;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function toUser(row: UserRecord): UserRow {
  return {
    userId: row.user_id,
    email: row.email,
    role: row.role,
    tenantId: row.tenant_id,
    disabled: row.disabled,
    lockedUntil: iso(row.locked_until),
    createdAt: iso(row.created_at)!,
  };
}

export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: 'email_taken' | 'tenant_required' | 'tenant_not_allowed' | 'wrong_password',
    message: string,
  ) {
    super(message);
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkRoleTenant(role: Role, tenantId: string | null): void {
  if (tenantScopedRoles.has(role) && tenantId === null) {
    throw new AccountError('tenant_required', `a ${role} belongs to one tenant: name it`);
  }
  if (!tenantScopedRoles.has(role) && tenantId !== null) {
    throw new AccountError('tenant_not_allowed', `a ${role} is not bound to a tenant`);
  }
}

export async function createUser(
  db: Kysely<any>,
  input: { email: string; password: string; role: Role; tenantId: string | null },
): Promise<UserRow> {
  checkRoleTenant(input.role, input.tenantId);
  const passwordHash = await hashPassword(input.password);
  const rows = await db
    .insertInto('api_users')
    .values({
      user_id: randomUUID(),
      email: normaliseEmail(input.email),
      password_hash: passwordHash,
      role: input.role,
      tenant_id: input.tenantId,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .execute();
  const row = rows[0] as UserRecord | undefined;
  if (row === undefined) throw new AccountError('email_taken', 'a user with this e-mail exists');
  return toUser(row);
}

export async function getUser(db: Kysely<any>, userId: string): Promise<UserRow | null> {
  const row = (await db
    .selectFrom('api_users')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()) as UserRecord | undefined;
  return row === undefined ? null : toUser(row);
}

export async function listUsers(
  db: Kysely<any>,
  page: { after: string | null; limit: number; tenantId?: string | null; role?: Role },
): Promise<UserRow[]> {
  let query = db.selectFrom('api_users').selectAll().orderBy('user_id').limit(page.limit);
  if (page.after !== null) query = query.where('user_id', '>', page.after);
  if (page.tenantId !== undefined && page.tenantId !== null)
    query = query.where('tenant_id', '=', page.tenantId);
  if (page.role !== undefined) query = query.where('role', '=', page.role);
  return ((await query.execute()) as UserRecord[]).map(toUser);
}

export async function updateUser(
  db: Kysely<any>,
  userId: string,
  changes: { role?: Role; tenantId?: string | null; disabled?: boolean; unlock?: boolean },
): Promise<UserRow | null> {
  const current = await getUser(db, userId);
  if (current === null) return null;
  const role = changes.role ?? current.role;
  const tenantId = changes.tenantId !== undefined ? changes.tenantId : current.tenantId;
  checkRoleTenant(role, tenantId);
  const row = (await db
    .updateTable('api_users')
    .set({
      role,
      tenant_id: tenantId,
      disabled: changes.disabled ?? current.disabled,
      ...(changes.unlock === true ? { failed_sign_ins: 0, locked_until: null } : {}),
      updated_at: sql`now()`,
    })
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow()) as UserRecord;
  // A change of role or a disabled account takes effect now, not when the session expires.
  if (changes.role !== undefined || changes.tenantId !== undefined || changes.disabled === true) {
    await revokeSessions(db, userId, null);
  }
  return toUser(row);
}

export type SignInOutcome =
  | { readonly ok: true; readonly user: UserRow; readonly sessionId: string; readonly csrfToken: string }
  | { readonly ok: false; readonly reason: 'unknown_email' | 'wrong_password' | 'locked' | 'disabled' };

/**
 * Checks a password and opens a session. Every outcome is recorded in the sign-in history; the
 * caller answers the same way for every failure so that nobody learns which e-mails exist.
 */
export async function signIn(
  db: Kysely<any>,
  input: { email: string; password: string; ip: string; now: Date },
): Promise<SignInOutcome> {
  const row = (await db
    .selectFrom('api_users')
    .selectAll()
    .where(sql`lower(email)`, '=', normaliseEmail(input.email))
    .executeTakeFirst()) as UserRecord | undefined;
  const record = async (userId: string | null, succeeded: boolean, reason: string) => {
    await db
      .insertInto('api_sign_ins')
      .values({ user_id: userId, succeeded, reason, ip: input.ip.slice(0, 64) })
      .execute();
  };
  if (row === undefined) {
    await verifyPassword(await decoyPasswordHash(), input.password);
    await record(null, false, 'unknown_email');
    return { ok: false, reason: 'unknown_email' };
  }
  const lockedUntil = row.locked_until === null ? null : new Date(row.locked_until);
  if (lockedUntil !== null && lockedUntil > input.now) {
    await record(row.user_id, false, 'locked');
    return { ok: false, reason: 'locked' };
  }
  const valid = await verifyPassword(row.password_hash, input.password);
  if (!valid) {
    const failures = row.failed_sign_ins + 1;
    await db
      .updateTable('api_users')
      .set({
        failed_sign_ins: failures >= failedSignInsMax ? 0 : failures,
        locked_until: failures >= failedSignInsMax ? new Date(input.now.getTime() + lockDurationMs) : null,
      })
      .where('user_id', '=', row.user_id)
      .execute();
    await record(
      row.user_id,
      false,
      failures >= failedSignInsMax ? 'wrong_password_locked' : 'wrong_password',
    );
    return { ok: false, reason: 'wrong_password' };
  }
  if (row.disabled) {
    await record(row.user_id, false, 'disabled');
    return { ok: false, reason: 'disabled' };
  }
  await db
    .updateTable('api_users')
    .set({ failed_sign_ins: 0, locked_until: null })
    .where('user_id', '=', row.user_id)
    .execute();
  const sessionId = randomSecret();
  const csrfToken = randomSecret();
  await db
    .insertInto('api_sessions')
    .values({
      session_id_sha256: sha256Hex(sessionId),
      user_id: row.user_id,
      csrf_token: csrfToken,
      expires_at: new Date(input.now.getTime() + sessionLifetimeMs),
    })
    .execute();
  // Bounded: the oldest sessions beyond the limit are revoked.
  await sql`
    UPDATE api_sessions SET revoked_at = now()
    WHERE user_id = ${row.user_id} AND revoked_at IS NULL AND session_id_sha256 IN (
      SELECT session_id_sha256 FROM api_sessions WHERE user_id = ${row.user_id} AND revoked_at IS NULL
      ORDER BY created_at DESC OFFSET ${sessionsPerUserMax}
    )`.execute(db);
  await record(row.user_id, true, 'password');
  return { ok: true, user: toUser(row), sessionId, csrfToken };
}

export interface ActiveSession {
  readonly user: UserRow;
  readonly sessionIdHash: string;
  readonly csrfToken: string;
}

export async function resolveSession(
  db: Kysely<any>,
  sessionId: string,
  now: Date,
): Promise<ActiveSession | null> {
  return (await lookUpSession(db, sha256Hex(sessionId), now))?.session ?? null;
}

async function lookUpSession(
  db: Kysely<any>,
  sessionIdHash: string,
  now: Date,
): Promise<{ session: ActiveSession; expiresAt: number } | null> {
  const row = (await db
    .selectFrom('api_sessions as s')
    .innerJoin('api_users as u', 'u.user_id', 's.user_id')
    .selectAll('u')
    .select(['s.csrf_token', 's.expires_at'])
    .where('s.session_id_sha256', '=', sessionIdHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.disabled', '=', false)
    .executeTakeFirst()) as (UserRecord & { csrf_token: string; expires_at: Date }) | undefined;
  if (row === undefined) return null;
  return {
    session: { user: toUser(row), sessionIdHash, csrfToken: row.csrf_token },
    expiresAt: row.expires_at.getTime(),
  };
}

/**
 * How long a read may rely on a session this process looked up a moment ago. Every request used
 * to look its session up in the database: on the invoice list that was a third of the database
 * work (`ledger bench api`). Reads now trust a look-up for this long; anything that changes data
 * still reads the session afresh, so a revoked session can never write. Revocations made by this
 * process (sign-out, password change, role change, disabling) empty the cache at once; one made by
 * another process reaches this one's reads within this delay. docs/api.md says so.
 */
export const sessionReuseMs = 5_000;
/** Named limit: sessions remembered per process; beyond it the cache starts again. */
const sessionsRememberedMax = 10_000;
const rememberedSessions = new WeakMap<object, Map<string, { session: ActiveSession; until: number }>>();

function sessionCache(db: Kysely<any>) {
  let cache = rememberedSessions.get(db);
  if (cache === undefined) {
    cache = new Map();
    rememberedSessions.set(db, cache);
  }
  return cache;
}

/**
 * The session for a request: for a read (`reuse`), one looked up less than `sessionReuseMs` ago
 * may answer; for a write, always the database.
 */
export async function resolveSessionForRequest(
  db: Kysely<any>,
  sessionId: string,
  now: Date,
  reuse: boolean,
): Promise<ActiveSession | null> {
  const sessionIdHash = sha256Hex(sessionId);
  const cache = sessionCache(db);
  if (reuse) {
    const known = cache.get(sessionIdHash);
    if (known !== undefined && known.until > now.getTime()) return known.session;
  }
  const found = await lookUpSession(db, sessionIdHash, now);
  if (found === null) {
    cache.delete(sessionIdHash);
    return null;
  }
  if (cache.size >= sessionsRememberedMax) cache.clear();
  cache.set(sessionIdHash, {
    session: found.session,
    until: Math.min(now.getTime() + sessionReuseMs, found.expiresAt),
  });
  return found.session;
}

/** Revokes a user's sessions, all of them or all but one (the one changing its password). */
export async function revokeSessions(
  db: Kysely<any>,
  userId: string,
  exceptIdHash: string | null,
): Promise<void> {
  let query = db
    .updateTable('api_sessions')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptIdHash !== null) query = query.where('session_id_sha256', '!=', exceptIdHash);
  await query.execute();
  sessionCache(db).clear();
}

export async function signOut(db: Kysely<any>, sessionIdHash: string): Promise<void> {
  await db
    .updateTable('api_sessions')
    .set({ revoked_at: sql`now()` })
    .where('session_id_sha256', '=', sessionIdHash)
    .execute();
  sessionCache(db).delete(sessionIdHash);
}

export async function changePassword(
  db: Kysely<any>,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionIdHash: string | null },
): Promise<void> {
  const row = (await db
    .selectFrom('api_users')
    .select(['password_hash'])
    .where('user_id', '=', input.userId)
    .executeTakeFirstOrThrow()) as { password_hash: string };
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw new AccountError('wrong_password', 'the current password is wrong');
  }
  await db
    .updateTable('api_users')
    .set({ password_hash: await hashPassword(input.newPassword), updated_at: sql`now()` })
    .where('user_id', '=', input.userId)
    .execute();
  await revokeSessions(db, input.userId, input.keepSessionIdHash);
}

export interface SignInRecord {
  readonly signInId: string;
  readonly succeeded: boolean;
  readonly reason: string;
  readonly ip: string;
  readonly at: string;
}

export async function signInHistory(
  db: Kysely<any>,
  userId: string,
  page: { before: string | null; limit: number },
): Promise<SignInRecord[]> {
  let query = db
    .selectFrom('api_sign_ins')
    .select(['sign_in_id', 'succeeded', 'reason', 'ip', 'at'])
    .where('user_id', '=', userId)
    .orderBy('sign_in_id', 'desc')
    .limit(page.limit);
  if (page.before !== null) query = query.where('sign_in_id', '<', page.before);
  const rows = (await query.execute()) as {
    sign_in_id: string;
    succeeded: boolean;
    reason: string;
    ip: string;
    at: Date | string;
  }[];
  return rows.map((r) => ({
    signInId: String(r.sign_in_id),
    succeeded: r.succeeded,
    reason: r.reason,
    ip: r.ip,
    at: iso(r.at)!,
  }));
}

export interface TokenRow {
  readonly tokenId: string;
  readonly name: string;
  readonly tenantId: string;
  readonly permissions: Permission[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

interface TokenRecord {
  token_id: string;
  name: string;
  tenant_id: string;
  permissions: Permission[];
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

function toToken(row: TokenRecord): TokenRow {
  return {
    tokenId: row.token_id,
    name: row.name,
    tenantId: row.tenant_id,
    permissions: row.permissions,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

/** Creates a token; the secret is returned here once and never again. */
export async function createToken(
  db: Kysely<any>,
  input: {
    name: string;
    tenantId: string;
    permissions: readonly Permission[];
    createdBy: string;
    expiresAt: Date | null;
  },
): Promise<{ token: string; row: TokenRow } | 'limit_reached'> {
  const count = (await db
    .selectFrom('api_tokens')
    .select(sql<string>`count(*)`.as('n'))
    .where('tenant_id', '=', input.tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()) as { n: string };
  if (BigInt(count.n) >= BigInt(tokensPerTenantMax)) return 'limit_reached';
  const token = newApiToken();
  const row = (await db
    .insertInto('api_tokens')
    .values({
      token_id: randomUUID(),
      token_sha256: sha256Hex(token),
      name: input.name,
      tenant_id: input.tenantId,
      permissions: [...new Set(input.permissions)],
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as TokenRecord;
  return { token, row: toToken(row) };
}

export async function listTokens(db: Kysely<any>, tenantId: string | null): Promise<TokenRow[]> {
  let query = db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').limit(500);
  if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
  return ((await query.execute()) as TokenRecord[]).map(toToken);
}

export async function getToken(db: Kysely<any>, tokenId: string): Promise<TokenRow | null> {
  const row = (await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_id', '=', tokenId)
    .executeTakeFirst()) as TokenRecord | undefined;
  return row === undefined ? null : toToken(row);
}

export async function revokeToken(db: Kysely<any>, tokenId: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('token_id', '=', tokenId)
    .execute();
}

export async function resolveToken(db: Kysely<any>, token: string, now: Date): Promise<TokenRow | null> {
  const row = (await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_sha256', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()) as TokenRecord | undefined;
  return row === undefined ? null : toToken(row);
}

export async function touchToken(db: Kysely<any>, tokenId: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .where('token_id', '=', tokenId)
    .execute();
}

export function permissionsOfRole(role: Role): ReadonlySet<Permission> {
  return rolePermissions[role];
}
