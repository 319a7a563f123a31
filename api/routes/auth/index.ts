import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.ts';
import {
  AccountError,
  changePassword,
  emailLengthMax,
  getUser,
  resolveSession,
  sessionLifetimeMs,
  signIn,
  signInHistory,
  signInHistoryPageMax,
  signOut,
} from '../../auth/accounts.ts';
import { principalOf, sessionCookieName } from '../../auth/plugin.ts';
import { passwordLengthMax, passwordLengthMin } from '../../auth/secrets.ts';
import { roleSchema } from '../../auth/permissions.ts';
import { ApiError, forbidden, withProblems } from '../../problems.ts';

const userSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    role: roleSchema,
    tenantId: z.string().nullable(),
  })
  .meta({ id: 'SignedInUser' });

const signInBody = z.strictObject({
  email: z.string().trim().min(3).max(emailLengthMax),
  password: z.string().min(1).max(passwordLengthMax),
});

const signInResult = z.object({
  user: userSchema,
  /** Send it back in the X-CSRF-Token header on every POST, PATCH, PUT or DELETE made with the cookie. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});

const meSchema = z.object({
  kind: z.enum(['user', 'token']),
  userId: z.string().nullable(),
  tokenId: z.string().nullable(),
  role: roleSchema.nullable(),
  tenantId: z.string().nullable(),
  permissions: z.array(z.string()),
  /** For a cookie session: the CSRF token, so a reloaded page can find it again. */
  csrfToken: z.string().nullable(),
});

const signInRecord = z.object({
  signInId: z.string(),
  succeeded: z.boolean(),
  reason: z.string(),
  ip: z.string(),
  at: z.string(),
});

/**
 * Sign-in with e-mail and password, sign-out, the caller's identity, password change and the
 * caller's sign-in history. The session cookie is httpOnly and SameSite=Lax; the CSRF token is a
 * synchronizer token kept in the session row (see docs/api.md).
 */
export const authRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const db = ledger.db;
  const secureCookie = ledger.config.PUBLIC_URL?.startsWith('https://') === true;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookie,
    path: '/api',
  };

  app.post(
    '/api/v1/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        security: [],
        body: signInBody,
        response: withProblems({ 200: signInResult }),
      },
      config: {
        public: true,
        rateLimit: {
          max: ledger.config.API_SIGN_IN_RATE_LIMIT_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request) => `sign-in:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const at = now();
      const outcome = await signIn(db, { ...request.body, ip: request.ip, now: at });
      if (!outcome.ok) {
        // One answer for every failure: nobody learns which e-mails exist or which are locked.
        request.log.info({ reason: outcome.reason }, 'sign-in refused');
        throw new ApiError(
          'sign_in_failed',
          'the e-mail or the password is wrong, or the account is locked for a while after repeated failures',
        );
      }
      const expiresAt = new Date(at.getTime() + sessionLifetimeMs);
      reply.setCookie(sessionCookieName, outcome.sessionId, { ...cookieOptions, expires: expiresAt });
      request.log.info({ userId: outcome.user.userId }, 'signed in');
      return {
        user: {
          userId: outcome.user.userId,
          email: outcome.user.email,
          role: outcome.user.role,
          tenantId: outcome.user.tenantId,
        },
        csrfToken: outcome.csrfToken,
        expiresAt: expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session and clear its cookie',
        response: withProblems({ 204: z.null() }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind === 'user') await signOut(db, principal.sessionIdHash);
      reply.clearCookie(sessionCookieName, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who the caller is and what it may do',
        response: withProblems({ 200: meSchema }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      let csrfToken: string | null = null;
      if (principal.kind === 'user') {
        const session = await resolveSession(db, request.cookies[sessionCookieName] ?? '', now());
        csrfToken = session?.csrfToken ?? null;
      }
      return {
        kind: principal.kind,
        userId: principal.kind === 'user' ? principal.userId : null,
        tokenId: principal.kind === 'token' ? principal.tokenId : null,
        role: principal.kind === 'user' ? principal.role : null,
        tenantId: principal.tenantId,
        permissions: [...principal.permissions].sort(),
        csrfToken,
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change the password; every other session of the user is signed out',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(passwordLengthMax),
          newPassword: z.string().min(passwordLengthMin).max(passwordLengthMax),
        }),
        response: withProblems({ 204: z.null() }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw forbidden('API tokens have no password');
      try {
        await changePassword(db, {
          userId: principal.userId,
          currentPassword: request.body.currentPassword,
          newPassword: request.body.newPassword,
          keepSessionIdHash: principal.sessionIdHash,
        });
      } catch (error) {
        if (error instanceof AccountError) {
          throw new ApiError('validation', error.message, {
            errors: [{ in: 'body', field: 'currentPassword', message: error.message }],
          });
        }
        throw error;
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/sign-ins',
    {
      schema: {
        tags: ['auth'],
        summary: "The caller's sign-in history, newest first",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(signInHistoryPageMax).default(50),
          before: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
        }),
        response: withProblems({ 200: z.object({ items: z.array(signInRecord) }) }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw forbidden('API tokens do not sign in');
      const user = await getUser(db, principal.userId);
      if (user === null) throw forbidden();
      return {
        items: await signInHistory(db, principal.userId, {
          before: request.query.before ?? null,
          limit: request.query.limit,
        }),
      };
    },
  );
};
