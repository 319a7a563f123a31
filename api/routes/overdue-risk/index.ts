import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOverdueRisk, listOverdueRisk } from '../../../projections/overdue-risk/overdue-risk.queries.ts';
import type { RouteOptions } from '../../app.ts';
import { notFound, withProblems } from '../../problems.ts';
import { rowJson, rowSchema } from '../../read-models.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

const riskSchema = rowSchema(
  {
    tenantId: z.string(),
    asOf: z.string(),
    currency: z.string(),
    amountDueMinor: z.string(),
    score: z.number(),
    band: z.string(),
    factors: z.array(z.unknown()),
  },
  'OverdueRisk',
);

/** Overdue risk per tenant: the score, its band, and each factor with what was observed. */
export const overdueRiskRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  const config = { permission: 'metrics:read' as const };

  app.get(
    '/api/v1/overdue-risk',
    {
      config,
      schema: {
        tags: ['overdue risk'],
        summary: 'Tenants with money due, riskiest first',
        querystring: pageQuerySchema,
        response: withProblems({ 200: pageOf(riskSchema) }),
      },
    },
    async (request) => {
      const page = await listOverdueRisk(ledger.db, {
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/overdue-risk/:tenantId',
    {
      config,
      schema: {
        tags: ['overdue risk'],
        summary: "One tenant's current score with its factors",
        params: z.object({ tenantId: idSchema }),
        response: withProblems({ 200: riskSchema }),
      },
    },
    async (request) => {
      const row = await getOverdueRisk(ledger.db, request.params.tenantId);
      if (row === null) throw notFound(`an overdue risk score for tenant ${request.params.tenantId}`);
      return rowJson(row);
    },
  );
};
