import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fromMoneyJson, moneySchema, toMoneyJson } from '../../../domain/money/index.ts';
import { paymentDecider } from '../../../domain/payment/payment.decide.ts';
import {
  manualPaymentMethods,
  type PaymentState,
  paymentStreamName,
} from '../../../domain/payment/payment.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess } from '../../auth/tenant-guard.ts';
import { etag, runCommand } from '../../commands.ts';
import { commandKey } from '../../idempotency.ts';
import { notFound, withProblems } from '../../problems.ts';
import { commandResultSchema, idSchema } from '../../schemas.ts';
import { loadAggregate } from '../../streams.ts';

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

/**
 * Payments: money received by hand (bank transfer, cash, cheque) typed in by an accountant,
 * refunds, and reading one payment. Online payments start from the provider flow in `app/payments`.
 */
export const paymentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const loadPayment = async (paymentId: string) => {
    const loaded = await loadAggregate(ledger, paymentDecider, paymentStreamName(paymentId));
    if (loaded.state.status === 'none' || loaded.revision === null) throw notFound(`payment ${paymentId}`);
    return { state: loaded.state, revision: loaded.revision };
  };

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
    '/api/v1/payments/manual',
    {
      config: { permission: 'payments:write', command: true },
      schema: {
        tags: ['payments'],
        summary: 'Record money received outside any provider (bank transfer, cash, cheque)',
        body: z.strictObject({
          paymentId: idSchema.optional(),
          tenantId: idSchema,
          method: z.enum(manualPaymentMethods),
          reference: z.string().trim().min(1).max(200),
          receivedOn: z.iso.date(),
          amount: moneySchema,
          invoiceIds: z.array(idSchema).max(100).default([]),
        }),
        response: withProblems({ 201: commandResultSchema.extend({ paymentId: z.string() }) }),
      },
    },
    async (request, reply) => {
      const at = now();
      const principal = principalOf(request);
      assertTenantAccess(principal, request.body.tenantId, `tenant ${request.body.tenantId}`);
      const paymentId = request.body.paymentId ?? uuidV5(`payment:${commandKey(request)}`);
      const result = await runCommand(
        ledger,
        request,
        paymentDecider,
        paymentStreamName(paymentId),
        {
          type: 'RecordManualPayment',
          data: {
            paymentId,
            tenantId: request.body.tenantId,
            method: request.body.method,
            reference: request.body.reference,
            receivedOn: request.body.receivedOn,
            amount: fromMoneyJson(request.body.amount),
            invoiceIds: request.body.invoiceIds,
            recordedAt: at.toISOString(),
          },
        },
        at,
      );
      return reply.code(201).send({ ...result, paymentId });
    },
  );

  app.post(
    '/api/v1/payments/:paymentId/refunds',
    {
      config: { permission: 'payments:write', command: true },
      schema: {
        tags: ['payments'],
        summary: 'Refund part or all of a payment; never more than was paid',
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
      const result = await runCommand(
        ledger,
        request,
        paymentDecider,
        paymentStreamName(request.params.paymentId),
        {
          type: 'RefundPayment',
          data: {
            paymentId: request.params.paymentId,
            refundId,
            amount: fromMoneyJson(request.body.amount),
            creditNoteId: request.body.creditNoteId,
            manual: request.body.manual,
            reason: request.body.reason,
            refundedAt: at.toISOString(),
          },
        },
        at,
      );
      return reply.code(201).send({ ...result, refundId });
    },
  );
};
