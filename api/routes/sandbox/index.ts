import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handlePaymentNotification } from '../../../app/payments/flow.ts';
import { buildSandboxNotification } from '../../../app/payments/sandbox.ts';
import { paymentDecider } from '../../../domain/payment/payment.decide.ts';
import { paymentStreamName } from '../../../domain/payment/payment.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import type { RouteOptions } from '../../app.ts';
import { ApiError, notFound, withProblems } from '../../problems.ts';
import { loadAggregate } from '../../streams.ts';

const sessionPattern = /^sbx-[A-Za-z0-9._:-]{1,200}$/;

/**
 * The sandbox provider's checkout (demo machines only, `SANDBOX_PAYMENTS_ENABLED=true`): the
 * payer approves or declines on the sandbox page, and the ledger sends itself the signed
 * notification a real provider would send, through the same flow as a webhook. It moves no money;
 * with the sandbox off the route answers 404 like any unknown path.
 */
export const sandboxRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, payments, now }) => {
  app.post(
    '/api/v1/sandbox/checkout/:sessionId',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Sandbox only: approve or decline a sandbox payment (no real money)',
        security: [],
        params: z.object({ sessionId: z.string().regex(sessionPattern) }),
        body: z.strictObject({ outcome: z.enum(['succeeded', 'failed']) }),
        response: withProblems({
          200: z.object({
            outcome: z.string(),
            paymentId: z.string().nullable(),
            returnUrl: z.string(),
          }),
        }),
      },
    },
    async (request) => {
      const secret = ledger.config.SANDBOX_WEBHOOK_SECRET;
      if (
        ledger.config.SANDBOX_PAYMENTS_ENABLED !== true ||
        secret === undefined ||
        !payments.providers.has('sandbox')
      ) {
        throw notFound('the sandbox checkout');
      }
      const paymentId = request.params.sessionId.slice('sbx-'.length);
      const loaded = await loadAggregate(ledger, paymentDecider, paymentStreamName(paymentId));
      const state = loaded.state;
      if (state.status === 'none' || state.core.provider !== 'sandbox')
        throw notFound(`sandbox session ${request.params.sessionId}`);
      const at = now();
      const notification = buildSandboxNotification({
        webhookSecret: secret,
        session: {
          providerSessionId: request.params.sessionId,
          clientReference: state.core.clientReference ?? paymentId,
        },
        outcome: request.body.outcome,
        amount: state.core.expected,
        // One event id per payment and outcome: approving twice is one notification delivered twice.
        eventId: uuidV5(`sandbox:${paymentId}:${request.body.outcome}`),
        transactionId: `SBX-${paymentId}`.slice(0, 60),
        now: at,
      });
      const handled = await handlePaymentNotification(payments, 'sandbox', {
        headers: notification.headers,
        rawBody: notification.rawBody,
        now: at,
        routeReference: paymentId,
      });
      if (handled.httpStatus !== 200) {
        throw new ApiError('unavailable', `the sandbox notification was not recorded (${handled.outcome})`);
      }
      // Back to the portal page of what was paid, where the portal waits for the confirmation
      // (`?paying=1`); a payment of several invoices goes back to the invoice list. Without a
      // public URL the path alone is enough: the sandbox page is served on the ledger's own origin.
      const base = (ledger.config.PUBLIC_URL ?? '').replace(/\/+$/, '');
      const [only, ...others] = state.core.invoiceIds;
      const target =
        only !== undefined && others.length === 0
          ? `/portal/invoices/${encodeURIComponent(only)}?paying=1`
          : '/portal/invoices?paying=1';
      return {
        outcome: handled.outcome,
        paymentId: handled.paymentId,
        returnUrl: `${base}${target}`,
      };
    },
  );
};
