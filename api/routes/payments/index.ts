import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fromMinor, fromMoneyJson, moneySchema, toMoneyJson } from '../../../domain/money/index.ts';
import { paymentDecider } from '../../../domain/payment/payment.decide.ts';
import { initiatePayment, recordManualPayment, refundPayment } from '../../../app/payments/flow.ts';
import { ProviderCallFailed } from '../../../app/payments/port.ts';
import {
  manualPaymentMethods,
  onlineProviders,
  type PaymentState,
  paymentStreamName,
} from '../../../domain/payment/payment.ts';
import type { Refusal } from '../../../domain/shared/decider.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, tenantScope } from '../../auth/tenant-guard.ts';
import { listPayments } from '../../../projections/payments/payments.queries.ts';
import type { PaymentStatus } from '../../../projections/payments/payments.table.ts';
import { csvOf, minPositionSchema, readYourWrites, rowJson, rowSchema } from '../../read-models.ts';
import {
  parseStatementCsv,
  type ReconcilablePayment,
  reconcileStatement,
  statementBytesMax,
} from '../../../app/payments/reconciliation.ts';
import { commandContext, etag } from '../../commands.ts';
import { paymentExportRoutes } from './export.ts';
import { commandKey } from '../../idempotency.ts';
import { ApiError, notFound, refusal, withProblems } from '../../problems.ts';
import { commandResultSchema, idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';
import { loadAggregate, streamHead } from '../../streams.ts';

const refusalOf = (r: Refusal) => refusal(r.code, r.message, r.field);

const paymentSchema = z
  .object({
    paymentId: z.string(),
    tenantId: z.string(),
    status: z.enum(['pending', 'failed', 'flagged', 'succeeded', 'refunded']),
    provider: z.string(),
    manualMethod: z.string().nullable(),
    invoiceIds: z.array(z.string()),
    expected: moneySchema,
    paid: moneySchema.nullable(),
    refunded: moneySchema.nullable(),
    paymentUrl: z.string().nullable(),
    revision: z.string(),
  })
  .meta({ id: 'Payment' });

function present(state: Exclude<PaymentState, { status: 'none' }>, revision: bigint) {
  const settlement = state.status === 'succeeded' || state.status === 'refunded' ? state.settlement : null;
  return {
    paymentId: state.core.paymentId,
    tenantId: state.core.tenantId,
    status: state.status,
    provider: state.core.provider,
    manualMethod: state.core.manualMethod,
    invoiceIds: [...state.core.invoiceIds],
    expected: toMoneyJson(state.core.expected),
    paid: settlement === null ? null : toMoneyJson(settlement.paid),
    refunded: settlement === null ? null : toMoneyJson(settlement.refunded),
    paymentUrl: state.core.paymentUrl,
    revision: revision.toString(),
  };
}

const paymentParams = z.object({ paymentId: idSchema });
/** A statement is compared with at most this many pages of 200 received payments. */
const reconciliationPagesMax = 100;
const paymentRowSchema = rowSchema(
  {
    paymentId: z.string(),
    tenantId: z.string(),
    provider: z.string(),
    status: z.string(),
    currency: z.string(),
    expectedMinor: z.string(),
    paidMinor: z.string(),
  },
  'PaymentSummary',
);

/**
 * Payments through the flow in `app/payments/flow.ts`: online payments started by a tenant admin
 * or an accountant, money received by hand and typed in by an accountant (allocated at once),
 * refunds, and reading one payment. Provider notifications arrive at the webhook routes.
 */
export const paymentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now, payments }) => {
  const loadPayment = async (paymentId: string) => {
    const loaded = await loadAggregate(ledger, paymentDecider, paymentStreamName(paymentId));
    if (loaded.state.status === 'none' || loaded.revision === null) throw notFound(`payment ${paymentId}`);
    return { state: loaded.state, revision: loaded.revision };
  };

  await app.register(paymentExportRoutes, { ledger, now, payments });

  app.get(
    '/api/v1/payments',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments'],
        summary: 'List payments from the read model, newest first; find one by provider reference',
        querystring: pageQuerySchema.extend({
          tenantId: idSchema.optional(),
          status: csvOf(['pending', 'failed', 'flagged', 'succeeded', 'refunded']),
          provider: z.enum([...onlineProviders, 'manual']).optional(),
          reference: z.string().trim().min(1).max(200).optional(),
          minPosition: minPositionSchema,
        }),
        response: withProblems({ 200: pageOf(paymentRowSchema) }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await readYourWrites(ledger, request, reply, q.minPosition, ['payments']);
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const page = await listPayments(
        ledger.db,
        {
          ...(tenantId === undefined ? {} : { tenantId }),
          ...(q.status === undefined ? {} : { status: q.status as PaymentStatus[] }),
          ...(q.provider === undefined ? {} : { provider: q.provider }),
          ...(q.reference === undefined ? {} : { reference: q.reference }),
        },
        { limit: q.limit, cursor: q.cursor ?? null },
      );
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );

  app.register(async (csv) => {
    // A statement is a CSV file (docs/payments.md, `ledger-statement-v1`), read as text.
    csv.addContentTypeParser(
      ['text/csv', 'text/plain'],
      { parseAs: 'string', bodyLimit: statementBytesMax },
      (_r, body, done) => done(null, body),
    );
    csv.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/payments/reconciliation',
      {
        config: { permission: 'payments:write' },
        schema: {
          tags: ['payments'],
          summary: "Match a provider statement (CSV) against the provider's received payments",
          // The document says what the route reads: the statement as text, not JSON.
          consumes: ['text/csv', 'text/plain'],
          querystring: z.object({ provider: z.enum(onlineProviders) }),
          body: z.string().min(1).max(statementBytesMax),
          response: withProblems({
            200: z.object({
              matched: z.array(z.object({ lineNumber: z.number(), paymentId: z.string() })),
              amountMismatches: z.array(
                z.object({
                  lineNumber: z.number(),
                  paymentId: z.string(),
                  expected: moneySchema,
                  onStatement: moneySchema,
                }),
              ),
              unmatchedLines: z.array(
                z.object({ lineNumber: z.number(), reference: z.string(), reason: z.string() }),
              ),
              unmatchedPayments: z.array(z.string()),
              errors: z.array(z.object({ lineNumber: z.number(), message: z.string() })),
              paymentsCompared: z.number(),
            }),
          }),
        },
      },
      async (request) => {
        const statement = parseStatementCsv(request.body);
        const received: ReconcilablePayment[] = [];
        let cursor: string | null = null;
        for (let pageNo = 0; pageNo < reconciliationPagesMax; pageNo += 1) {
          const page = await listPayments(
            ledger.db,
            { provider: request.query.provider, status: ['succeeded', 'refunded'] },
            { limit: 200, cursor },
          );
          for (const p of page.items) {
            received.push({
              paymentId: p.payment_id,
              provider: request.query.provider,
              clientReference: p.client_reference ?? p.payment_id,
              providerSessionId: p.provider_session_id ?? '',
              providerTransactionId: p.provider_transaction_id,
              amount: fromMinor(p.paid_minor, p.currency),
            });
          }
          cursor = page.nextCursor;
          if (cursor === null) break;
        }
        const report = reconcileStatement(statement, received);
        return {
          matched: [...report.matched],
          amountMismatches: report.amountMismatches.map((m) => ({
            lineNumber: m.lineNumber,
            paymentId: m.paymentId,
            expected: toMoneyJson(m.expected),
            onStatement: toMoneyJson(m.onStatement),
          })),
          unmatchedLines: [...report.unmatchedLines],
          unmatchedPayments: [...report.unmatchedPayments],
          errors: report.errors.slice(0, 1000),
          paymentsCompared: received.length,
        };
      },
    );
  });

  app.get(
    '/api/v1/payments/:paymentId',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments'],
        summary: 'One payment; the ETag is its revision',
        params: paymentParams,
        response: withProblems({ 200: paymentSchema }),
      },
    },
    async (request, reply) => {
      const { state, revision } = await loadPayment(request.params.paymentId);
      assertTenantAccess(principalOf(request), state.core.tenantId, `payment ${request.params.paymentId}`);
      reply.header('etag', etag(revision));
      return present(state, revision);
    },
  );

  app.post(
    '/api/v1/payments',
    {
      config: { permission: 'payments:initiate', command: true },
      schema: {
        tags: ['payments'],
        summary:
          'Start an online payment (Wave, Orange Money, Free Money); answers the page to send the payer to',
        body: z.strictObject({
          tenantId: idSchema,
          provider: z.enum(onlineProviders),
          invoiceIds: z.array(idSchema).min(1).max(100),
          amount: moneySchema,
          description: z.string().trim().min(1).max(100).default('SmartQueue'),
          successUrl: z.url().max(500).optional(),
          errorUrl: z.url().max(500).optional(),
        }),
        response: withProblems({
          201: z.object({
            paymentId: z.string(),
            paymentUrl: z.string().nullable(),
            providerSessionId: z.string(),
            isSandbox: z.boolean(),
            position: z.string().nullable(),
          }),
        }),
      },
    },
    async (request, reply) => {
      const at = now();
      assertTenantAccess(principalOf(request), request.body.tenantId, `tenant ${request.body.tenantId}`);
      const { amount, ...rest } = request.body;
      let outcome: Awaited<ReturnType<typeof initiatePayment>>;
      try {
        outcome = await initiatePayment(
          payments,
          { ...rest, amount: fromMoneyJson(amount) },
          commandContext(request, at),
        );
      } catch (error) {
        if (error instanceof ProviderCallFailed) {
          request.log.warn(
            { provider: error.provider, operation: error.operation, status: error.httpStatus },
            'provider call failed',
          );
          throw new ApiError(
            'provider_unavailable',
            `${error.provider} did not open a payment session; retry later`,
          );
        }
        throw error;
      }
      if (!outcome.ok) throw refusalOf(outcome.refusal);
      const head = await streamHead(ledger, paymentStreamName(outcome.value.paymentId));
      return reply.code(201).send({ ...outcome.value, position: head?.position ?? null });
    },
  );

  app.post(
    '/api/v1/payments/manual',
    {
      config: { permission: 'payments:write', command: true },
      schema: {
        tags: ['payments'],
        summary:
          'Record money received outside any provider (bank transfer, cash, cheque); it is allocated at once',
        body: z.strictObject({
          tenantId: idSchema,
          method: z.enum(manualPaymentMethods),
          reference: z.string().trim().min(1).max(200),
          receivedOn: z.iso.date(),
          amount: moneySchema,
          invoiceIds: z.array(idSchema).max(100).default([]),
        }),
        response: withProblems({
          201: z.object({
            paymentId: z.string(),
            position: z.string().nullable(),
            allocation: z.object({
              applied: z.array(z.object({ invoiceId: z.string(), amount: moneySchema })),
              credit: moneySchema,
            }),
          }),
        }),
      },
    },
    async (request, reply) => {
      const at = now();
      assertTenantAccess(principalOf(request), request.body.tenantId, `tenant ${request.body.tenantId}`);
      const { amount, ...rest } = request.body;
      const outcome = await recordManualPayment(
        payments,
        { ...rest, amount: fromMoneyJson(amount) },
        commandContext(request, at),
      );
      if (!outcome.ok) throw refusalOf(outcome.refusal);
      const { paymentId, allocation } = outcome.value;
      const head = await ledger.store.committedHead();
      return reply.code(201).send({
        paymentId,
        position: head === '' ? null : head,
        allocation: {
          applied: allocation.applied.map((a) => ({ invoiceId: a.invoiceId, amount: toMoneyJson(a.amount) })),
          credit: toMoneyJson(allocation.credit),
        },
      });
    },
  );

  app.post(
    '/api/v1/payments/:paymentId/refunds',
    {
      config: { permission: 'payments:write', command: true },
      schema: {
        tags: ['payments'],
        summary: 'Record a refund of part or all of a payment; never more than was paid',
        params: paymentParams,
        body: z.strictObject({
          refundId: idSchema.optional(),
          amount: moneySchema,
          reason: z.string().trim().min(1).max(500),
          creditNoteId: idSchema.nullable().default(null),
          manual: z.boolean().default(true),
        }),
        response: withProblems({ 201: commandResultSchema.extend({ refundId: z.string() }) }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { state } = await loadPayment(request.params.paymentId);
      assertTenantAccess(principalOf(request), state.core.tenantId, `payment ${request.params.paymentId}`);
      const refundId = request.body.refundId ?? uuidV5(`refund:${commandKey(request)}`);
      const outcome = await refundPayment(
        payments,
        {
          paymentId: request.params.paymentId,
          refundId,
          amount: fromMoneyJson(request.body.amount),
          creditNoteId: request.body.creditNoteId,
          manual: request.body.manual,
          reason: request.body.reason,
        },
        commandContext(request, at),
      );
      if (!outcome.ok) throw refusalOf(outcome.refusal);
      return reply.code(201).send({
        events: outcome.events.map((e) => ({ type: e.type })),
        position: outcome.position,
        revision: outcome.revision === null ? null : outcome.revision.toString(),
        replayed: outcome.replayed,
        refundId,
      });
    },
  );
};
