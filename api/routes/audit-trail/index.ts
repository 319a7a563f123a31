import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditTrail } from '../../../projections/audit-trail/audit-trail.queries.ts';
import type { RouteOptions } from '../../app.ts';
import { withProblems } from '../../problems.ts';
import { rowJson, rowSchema } from '../../read-models.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

const entrySchema = rowSchema(
  { position: z.string(), streamName: z.string(), eventType: z.string() },
  'AuditTrailEntry',
);

/**
 * The audit trail for auditors and accountants: every event in log order with who caused it and
 * when it happened, filtered by entity, stream, tenant, correlation or event type, so any number
 * on a screen can be traced to the events that made it.
 */
export const auditTrailRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  app.get(
    '/api/v1/audit-trail',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Events in log order, filtered by entity, stream, tenant, correlation or type',
        querystring: pageQuerySchema.extend({
          entityType: z
            .string()
            .regex(/^[a-z][a-z_-]{0,39}$/)
            .optional(),
          entityId: idSchema.optional(),
          streamName: z.string().min(1).max(300).optional(),
          tenantId: idSchema.optional(),
          correlationId: z.string().min(1).max(200).optional(),
          eventType: z
            .string()
            .regex(/^[A-Z][A-Za-z0-9]{0,99}$/)
            .optional(),
        }),
        response: withProblems({ 200: pageOf(entrySchema) }),
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
      const page = await listAuditTrail(ledger.db, defined, { limit, cursor: cursor ?? null });
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );
};
