import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.ts';
import { createToken, getToken, listTokens, revokeToken, type TokenRow } from '../../auth/accounts.ts';
import { type Permission, principalId, tokenPermissionSchema } from '../../auth/permissions.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, tenantScope } from '../../auth/tenant-guard.ts';
import { ApiError, forbidden, notFound, withProblems } from '../../problems.ts';
import { idSchema } from '../../schemas.ts';

const tokenSchema = z
  .object({
    tokenId: z.string(),
    name: z.string(),
    tenantId: z.string(),
    permissions: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

const present = (row: TokenRow) => row;

/**
 * API tokens for machine clients: scoped to one tenant and a list of permissions, shown once at
 * creation, stored as a SHA-256 digest, revocable. A tenant admin manages its own tenant's tokens
 * and cannot grant a permission it does not hold.
 */
export const tokenRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  const db = ledger.db;
  const config = { permission: 'tokens:manage' as const };

  app.get(
    '/api/v1/tokens',
    {
      config,
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens (revoked ones included), newest first',
        querystring: z.object({ tenantId: idSchema.optional() }),
        response: withProblems({ 200: z.object({ items: z.array(tokenSchema) }) }),
      },
    },
    async (request) => {
      const tenantId = tenantScope(principalOf(request), request.query.tenantId);
      return { items: (await listTokens(db, tenantId ?? null)).map(present) };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config,
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; the secret is in this answer only',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          tenantId: idSchema,
          permissions: z.array(tokenPermissionSchema).min(1).max(20),
          expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
        }),
        response: withProblems({ 201: tokenSchema.extend({ token: z.string() }) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const tenantId = tenantScope(principal, request.body.tenantId)!;
      const missing = request.body.permissions.filter((p) => !principal.permissions.has(p as Permission));
      if (missing.length > 0) throw forbidden(`you cannot grant what you do not hold: ${missing.join(', ')}`);
      const created = await createToken(db, {
        name: request.body.name,
        tenantId,
        permissions: request.body.permissions as Permission[],
        createdBy: principalId(principal),
        expiresAt: request.body.expiresAt === null ? null : new Date(request.body.expiresAt),
      });
      if (created === 'limit_reached') {
        throw new ApiError('conflict', 'this tenant has reached its number of active tokens; revoke one', {
          code: 'token_limit_reached',
        });
      }
      request.log.info({ tokenId: created.row.tokenId, tenantId }, 'API token created');
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...present(created.row), token: created.token });
    },
  );

  app.delete(
    '/api/v1/tokens/:tokenId',
    {
      config,
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token; it stops working at once',
        params: z.object({ tokenId: z.uuid() }),
        response: withProblems({ 204: z.null() }),
      },
    },
    async (request, reply) => {
      const token = await getToken(db, request.params.tokenId);
      if (token === null) throw notFound(`token ${request.params.tokenId}`);
      assertTenantAccess(principalOf(request), token.tenantId, `token ${request.params.tokenId}`);
      await revokeToken(db, token.tokenId);
      return reply.code(204).send(null);
    },
  );
};
