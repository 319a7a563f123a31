import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.ts';
import {
  AccountError,
  createUser,
  emailLengthMax,
  getUser,
  listUsers,
  signInHistory,
  signInHistoryPageMax,
  updateUser,
  type UserRow,
} from '../../auth/accounts.ts';
import { roleSchema } from '../../auth/permissions.ts';
import { passwordLengthMax, passwordLengthMin } from '../../auth/secrets.ts';
import { ApiError, notFound, withProblems } from '../../problems.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

const userSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    role: roleSchema,
    tenantId: z.string().nullable(),
    disabled: z.boolean(),
    lockedUntil: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

const userParams = z.object({ userId: z.uuid() });

function accountProblem(error: unknown): never {
  if (error instanceof AccountError) {
    if (error.code === 'email_taken') throw new ApiError('conflict', error.message, { code: error.code });
    throw new ApiError('validation', error.message, {
      errors: [{ in: 'body', field: 'tenantId', message: error.message }],
    });
  }
  throw error;
}

const present = (user: UserRow) => user;

/** User management for super-admins: create, list, read, change role or tenant, disable, unlock. */
export const userRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  const db = ledger.db;
  const config = { permission: 'users:manage' as const };

  app.get(
    '/api/v1/users',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'List users in id order',
        querystring: pageQuerySchema.extend({ role: roleSchema.optional(), tenantId: idSchema.optional() }),
        response: withProblems({ 200: pageOf(userSchema) }),
      },
    },
    async (request) => {
      const { limit, cursor, role, tenantId } = request.query;
      if (cursor !== undefined && !/^[0-9a-f-]{36}$/.test(cursor)) {
        throw new ApiError('validation', 'the cursor is not one this API gave out', {
          errors: [{ in: 'querystring', field: 'cursor', message: 'pass back nextCursor unchanged' }],
        });
      }
      const items = await listUsers(db, { after: cursor ?? null, limit: limit + 1, tenantId, role });
      const page = items.slice(0, limit);
      return { items: page.map(present), nextCursor: items.length > limit ? page.at(-1)!.userId : null };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { ...config, command: true },
      schema: {
        tags: ['users'],
        summary: 'Create a user; tenant admins and service users name their tenant',
        body: z.strictObject({
          email: z.email().max(emailLengthMax),
          password: z.string().min(passwordLengthMin).max(passwordLengthMax),
          role: roleSchema,
          tenantId: idSchema.nullable().default(null),
        }),
        response: withProblems({ 201: userSchema }),
      },
    },
    async (request, reply) => {
      const user = await createUser(db, request.body).catch(accountProblem);
      request.log.info({ userId: user.userId, role: user.role }, 'user created');
      return reply.code(201).send(present(user));
    },
  );

  app.get(
    '/api/v1/users/:userId',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'One user',
        params: userParams,
        response: withProblems({ 200: userSchema }),
      },
    },
    async (request) => {
      const user = await getUser(db, request.params.userId);
      if (user === null) throw notFound(`user ${request.params.userId}`);
      return present(user);
    },
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config,
      schema: {
        tags: ['users'],
        summary: "Change a user's role or tenant, disable or unlock it; its sessions end",
        params: userParams,
        body: z.strictObject({
          role: roleSchema.optional(),
          tenantId: idSchema.nullable().optional(),
          disabled: z.boolean().optional(),
          unlock: z.literal(true).optional(),
        }),
        response: withProblems({ 200: userSchema }),
      },
    },
    async (request) => {
      const user = await updateUser(db, request.params.userId, request.body).catch(accountProblem);
      if (user === null) throw notFound(`user ${request.params.userId}`);
      return present(user);
    },
  );

  app.get(
    '/api/v1/users/:userId/sign-ins',
    {
      config,
      schema: {
        tags: ['users'],
        summary: "A user's sign-in history, newest first",
        params: userParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(signInHistoryPageMax).default(50),
          before: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
        }),
        response: withProblems({
          200: z.object({
            items: z.array(
              z.object({
                signInId: z.string(),
                succeeded: z.boolean(),
                reason: z.string(),
                ip: z.string(),
                at: z.string(),
              }),
            ),
          }),
        }),
      },
    },
    async (request) => {
      if ((await getUser(db, request.params.userId)) === null)
        throw notFound(`user ${request.params.userId}`);
      return {
        items: await signInHistory(db, request.params.userId, {
          before: request.query.before ?? null,
          limit: request.query.limit,
        }),
      };
    },
  );
};
