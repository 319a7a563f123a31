import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isCurrencyCode } from '../../../domain/money/index.ts';
import { mrrAsOf, mrrMovements, mrrSeries } from '../../../projections/metrics/metrics.queries.ts';
import type { RouteOptions } from '../../app.ts';
import { validationError, withProblems } from '../../problems.ts';
import { minPositionSchema, readYourWrites, rowJson } from '../../read-models.ts';
import { monthMetrics } from '../../../projections/metrics/metrics.dashboard.ts';
import { CohortRangeTooLarge, cohortsBetween } from '../../../projections/metrics/metrics.cohorts.ts';
import { monthsBetween } from '../../../domain/metrics/index.ts';
import { idSchema } from '../../schemas.ts';

/** A series spans at most this many days (the metrics module has its own bound as well). */
export const seriesDaysMax = 1100;

const scopeQuery = z.object({
  tenantId: idSchema.optional(),
  currency: z.string().refine(isCurrencyCode, 'a supported ISO 4217 currency code').optional(),
  minPosition: minPositionSchema,
});

/** A cohort triangle covers at most this many cohort months (and as many months since). */
export const cohortRangeMonthsMax = 60;

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/** Exact decimals as strings: MRR is ARR / 12 and may carry a fraction of a minor unit. */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

function days(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function checkRange(from: string, to: string): void {
  const span = days(from, to);
  if (span < 0) throw validationError([{ in: 'querystring', field: 'to', message: 'on or after from' }]);
  if (span > seriesDaysMax) {
    throw validationError([
      { in: 'querystring', field: 'to', message: `at most ${seriesDaysMax} days after from` },
    ]);
  }
}

function scope(q: { tenantId?: string | undefined; currency?: string | undefined }) {
  return {
    ...(q.tenantId === undefined ? {} : { tenantId: q.tenantId }),
    ...(q.currency === undefined ? {} : { currency: q.currency }),
  };
}

/**
 * The dashboard's figures from the metrics read model: MRR and ARR as of a day, the daily series,
 * and the movements (new, expansion, contraction, churn, reactivation) over a period.
 */
export const metricsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const config = { permission: 'metrics:read' as const };
  const today = () => now().toISOString().slice(0, 10);

  app.get(
    '/api/v1/metrics/mrr',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary: 'MRR, ARR and paying tenants at the end of a day (default today)',
        querystring: scopeQuery.extend({ asOf: z.iso.date().optional() }),
        response: withProblems({
          200: z.object({
            asOf: z.string(),
            mrrMinor: decimal,
            arrMinor: decimal,
            payingTenants: z.number(),
          }),
        }),
      },
    },
    async (request, reply) => {
      await readYourWrites(ledger, request, reply, request.query.minPosition, ['metrics']);
      const asOf = request.query.asOf ?? today();
      const figure = await mrrAsOf(ledger.db, asOf, scope(request.query));
      return {
        asOf,
        mrrMinor: figure.mrrMinor.toString(),
        arrMinor: figure.arrMinor.toString(),
        payingTenants: figure.payingTenants,
      };
    },
  );

  app.get(
    '/api/v1/metrics/mrr/series',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary: 'MRR at the end of each day of a period',
        querystring: scopeQuery.extend({ from: z.iso.date(), to: z.iso.date() }),
        response: withProblems({
          200: z.object({ points: z.array(z.object({ date: z.string(), mrrMinor: decimal })) }),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      checkRange(q.from, q.to);
      await readYourWrites(ledger, request, reply, q.minPosition, ['metrics']);
      const points = await mrrSeries(ledger.db, q.from, q.to, scope(q));
      return { points: points.map((p) => ({ date: p.date, mrrMinor: p.mrrMinor.toString() })) };
    },
  );

  app.get(
    '/api/v1/metrics/mrr/movements',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary: 'MRR movements by kind over a period, and the net new MRR',
        querystring: scopeQuery.extend({ from: z.iso.date(), to: z.iso.date() }),
        response: withProblems({
          200: z.object({ byKind: z.record(z.string(), decimal), netNewMrrMinor: decimal }),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      checkRange(q.from, q.to);
      await readYourWrites(ledger, request, reply, q.minPosition, ['metrics']);
      const totals = await mrrMovements(ledger.db, q.from, q.to, scope(q));
      return {
        byKind: Object.fromEntries(Object.entries(totals.byKind).map(([k, v]) => [k, v.toString()])),
        netNewMrrMinor: totals.netNewMrrMinor.toString(),
      };
    },
  );

  app.get(
    '/api/v1/metrics/cohorts',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary:
          'Monthly cohorts by first paid month: customer and revenue retention at the end of each month since, up to `to`',
        querystring: z.object({
          from: monthSchema,
          to: monthSchema,
          currency: z.string().refine(isCurrencyCode, 'a supported ISO 4217 currency code').default('XOF'),
          minPosition: minPositionSchema,
        }),
        response: withProblems({
          200: z.object({
            from: z.string(),
            to: z.string(),
            currency: z.string(),
            cohorts: z.array(
              z.object({
                month: z.string(),
                /** Tenants whose first paid MRR falls in the month. */
                size: z.number(),
                /** The sum of their first MRR. */
                startingMrrMinor: decimal,
                cells: z.array(
                  z.object({
                    /** Months since the cohort month (0 is the month itself). */
                    offset: z.number(),
                    month: z.string(),
                    payingCustomers: z.number(),
                    mrrMinor: decimal,
                    /** payingCustomers ÷ size, exact. */
                    customerRetention: decimal,
                    /** mrrMinor ÷ startingMrrMinor, exact; above 1 when expansion outweighs churn. */
                    revenueRetention: decimal,
                  }),
                ),
              }),
            ),
          }),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const span = monthsBetween(q.from, q.to);
      if (span < 0) throw validationError([{ in: 'querystring', field: 'to', message: 'on or after from' }]);
      if (span >= cohortRangeMonthsMax) {
        throw validationError([
          { in: 'querystring', field: 'to', message: `at most ${cohortRangeMonthsMax} months from from` },
        ]);
      }
      await readYourWrites(ledger, request, reply, q.minPosition, ['metrics']);
      try {
        const cohorts = await cohortsBetween(ledger.db, q.from, q.to, q.currency);
        return { from: q.from, to: q.to, currency: q.currency, cohorts: rowJson(cohorts) };
      } catch (error) {
        if (!(error instanceof CohortRangeTooLarge)) throw error;
        throw validationError([{ in: 'querystring', field: 'from', message: error.message }]);
      }
    },
  );

  app.get(
    '/api/v1/metrics/month',
    {
      config,
      schema: {
        tags: ['metrics'],
        summary:
          'One month of SaaS figures: MRR, ARR, active customers, ARPU, customer and revenue churn, averaged churn, LTV, churn badge, trial conversion',
        querystring: z.object({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
          currency: z.string().refine(isCurrencyCode, 'a supported ISO 4217 currency code').default('XOF'),
          minPosition: minPositionSchema,
        }),
        response: withProblems({
          200: z.looseObject({
            month: z.string(),
            currency: z.string(),
            mrrMinor: decimal,
            arrMinor: decimal,
          }),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await readYourWrites(ledger, request, reply, q.minPosition, ['metrics', 'subscriptions']);
      // Definitions and windows of every figure: docs/metrics.md.
      return rowJson(await monthMetrics(ledger.db, q.month, q.currency));
    },
  );
};
