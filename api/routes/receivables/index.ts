import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getCustomerBalance,
  listReceivables,
} from '../../../projections/customer-balances/customer-balances.queries.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess } from '../../auth/tenant-guard.ts';
import { notFound, withProblems } from '../../problems.ts';
import { rowJson, rowSchema } from '../../read-models.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

const balanceSchema = rowSchema({ tenantId: z.string(), receivableMinor: z.string() }, 'CustomerBalance');

/** What each tenant owes (receivables) and its credit balance, from the customer-balances read model. */
export const receivableRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  app.get(
    '/api/v1/receivables',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags: ['invoices'],
        summary: 'Tenants by what they owe, largest first',
        querystring: pageQuerySchema,
        response: withProblems({ 200: pageOf(balanceSchema) }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.tenantId !== null) {
        // A tenant-scoped caller sees its own balance only.
        const own = await getCustomerBalance(ledger.db, principal.tenantId);
        return {
          items: own === null || request.query.cursor !== undefined ? [] : [rowJson(own)],
          nextCursor: null,
        };
      }
      const page = await listReceivables(ledger.db, {
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/tenants/:tenantId/balance',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags: ['invoices'],
        summary: "A tenant's receivable and credit balance",
        params: z.object({ tenantId: idSchema }),
        response: withProblems({ 200: balanceSchema }),
      },
    },
    async (request) => {
      const what = `a balance for tenant ${request.params.tenantId}`;
      assertTenantAccess(principalOf(request), request.params.tenantId, what);
      const row = await getCustomerBalance(ledger.db, request.params.tenantId);
      if (row === null) throw notFound(what);
      return rowJson(row);
    },
  );
};
