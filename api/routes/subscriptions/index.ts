import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getSubscription,
  listSubscriptions,
} from '../../../projections/subscriptions/subscriptions.queries.ts';
import type { SubscriptionStatus } from '../../../projections/subscriptions/subscriptions.table.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, tenantScope } from '../../auth/tenant-guard.ts';
import { notFound, withProblems } from '../../problems.ts';
import { csvOf, minPositionSchema, readYourWrites, rowJson, rowSchema } from '../../read-models.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

const subscriptionSchema = rowSchema(
  {
    subscriptionId: z.string(),
    tenantId: z.string(),
    status: z.string(),
    planCode: z.string(),
    planVersion: z.number(),
    billingInterval: z.string(),
    currency: z.string(),
    priceMinor: z.string(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
  },
  'Subscription',
);

/**
 * Subscriptions as the read model shows them. Commands (start, change plan with its proration
 * preview, cancel) and entitlements join this folder when the subscription use cases land.
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  const read = { permission: 'subscriptions:read' as const };

  app.get(
    '/api/v1/subscriptions',
    {
      config: read,
      schema: {
        tags: ['subscriptions'],
        summary: 'List subscriptions, newest first; filter by tenant, status, plan',
        querystring: pageQuerySchema.extend({
          tenantId: idSchema.optional(),
          status: csvOf(['trialing', 'active', 'past_due', 'suspended', 'canceled', 'expired']),
          planCode: z
            .string()
            .regex(/^[a-z][a-z0-9_-]{1,39}$/)
            .optional(),
          minPosition: minPositionSchema,
        }),
        response: withProblems({ 200: pageOf(subscriptionSchema) }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await readYourWrites(ledger, request, reply, q.minPosition, ['subscriptions']);
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const page = await listSubscriptions(
        ledger.db,
        {
          ...(tenantId === undefined ? {} : { tenantId }),
          ...(q.status === undefined ? {} : { status: q.status as SubscriptionStatus[] }),
          ...(q.planCode === undefined ? {} : { planCode: q.planCode }),
        },
        { limit: q.limit, cursor: q.cursor ?? null },
      );
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/subscriptions/:subscriptionId',
    {
      config: read,
      schema: {
        tags: ['subscriptions'],
        summary: 'One subscription, with any scheduled plan change',
        params: z.object({ subscriptionId: idSchema }),
        response: withProblems({ 200: subscriptionSchema }),
      },
    },
    async (request) => {
      const row = await getSubscription(ledger.db, request.params.subscriptionId);
      const what = `subscription ${request.params.subscriptionId}`;
      if (row === null) throw notFound(what);
      assertTenantAccess(principalOf(request), row.tenant_id, what);
      return rowJson(row);
    },
  );
};
