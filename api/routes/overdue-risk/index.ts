import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dunningOfTenants, type TenantDunning } from '../../../projections/dunning/dunning.queries.ts';
import { getOverdueRisk, listOverdueRisk } from '../../../projections/overdue-risk/overdue-risk.queries.ts';
import type { OverdueRiskRow } from '../../../projections/overdue-risk/overdue-risk.table.ts';
import type { RouteOptions } from '../../app.ts';
import { notFound, withProblems } from '../../problems.ts';
import { minPositionSchema, readYourWrites, rowJson, rowSchema } from '../../read-models.ts';
import { idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';
import { dunningRoutes } from './dunning.ts';

const actorSchema = z.object({ kind: z.string(), id: z.string() });
const promiseSchema = z
  .object({
    invoiceId: z.string(),
    currency: z.string(),
    promisedOn: z.string(),
    amountMinor: z.string(),
    /** Applied to the invoice since the promise was recorded. */
    paidSinceMinor: z.string(),
    amountDueMinor: z.string(),
    note: z.string().nullable(),
    recordedOn: z.string(),
    recordedBy: actorSchema,
    /** `active` until its day is over, then `broken` unless the promised money came (`kept`). */
    status: z.enum(['active', 'kept', 'broken']),
  })
  .meta({ id: 'PaymentPromise' });

const dunningSchema = z
  .object({
    /** Invoices past their due date with money due, oldest first (at most 10), each with its promise. */
    overdueInvoices: z.array(
      z.object({
        invoiceId: z.string(),
        number: z.string().nullable(),
        currency: z.string(),
        dueOn: z.string(),
        amountDueMinor: z.string(),
        promise: promiseSchema.nullable(),
      }),
    ),
    /** The latest promise to pay on any of the tenant's invoices. */
    promise: promiseSchema.nullable(),
    lastReminder: z
      .object({
        invoiceId: z.string(),
        trigger: z.enum(['schedule', 'operator']),
        channel: z.string(),
        sentOn: z.string(),
        sentBy: actorSchema.nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'TenantDunning' });

const riskSchema = rowSchema(
  {
    tenantId: z.string(),
    asOf: z.string(),
    currency: z.string(),
    amountDueMinor: z.string(),
    score: z.number(),
    band: z.string(),
    factors: z.array(z.unknown()),
    dunning: dunningSchema,
  },
  'OverdueRisk',
);

/** The read models these answers come from: the scores, the dunning rows and the invoices. */
const readModels = ['overdue-risk', 'dunning', 'invoices'];
const emptyDunning: TenantDunning = { overdueInvoices: [], promise: null, lastReminder: null };

/**
 * Overdue risk per tenant: the score, its band, each factor with what was observed, and what
 * dunning did (overdue invoices, the latest promise to pay and whether it was kept, the latest
 * reminder); and the dunning commands (./dunning.ts).
 */
export const overdueRiskRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  const { ledger, now } = options;
  await app.register(dunningRoutes, options);
  const config = { permission: 'metrics:read' as const };
  const today = () => now().toISOString().slice(0, 10);

  const withDunning = async (rows: readonly OverdueRiskRow[]) => {
    const dunning = await dunningOfTenants(
      ledger.db,
      rows.map((r) => r.tenant_id),
      today(),
    );
    return rows.map((row) => ({ ...rowJson(row), dunning: dunning.get(row.tenant_id) ?? emptyDunning }));
  };

  app.get(
    '/api/v1/overdue-risk',
    {
      config,
      schema: {
        tags: ['overdue risk'],
        summary: 'Tenants with money due, riskiest first, with their dunning',
        querystring: pageQuerySchema.extend({ minPosition: minPositionSchema }),
        response: withProblems({ 200: pageOf(riskSchema) }),
      },
    },
    async (request, reply) => {
      await readYourWrites(ledger, request, reply, request.query.minPosition, readModels);
      const page = await listOverdueRisk(ledger.db, {
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return { items: await withDunning(page.items), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/overdue-risk/:tenantId',
    {
      config,
      schema: {
        tags: ['overdue risk'],
        summary: "One tenant's current score with its factors and its dunning",
        params: z.object({ tenantId: idSchema }),
        querystring: z.object({ minPosition: minPositionSchema }),
        response: withProblems({ 200: riskSchema }),
      },
    },
    async (request, reply) => {
      await readYourWrites(ledger, request, reply, request.query.minPosition, readModels);
      const row = await getOverdueRisk(ledger.db, request.params.tenantId);
      if (row === null) throw notFound(`an overdue risk score for tenant ${request.params.tenantId}`);
      const [item] = await withDunning([row]);
      return item;
    },
  );
};
