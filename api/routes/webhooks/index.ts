import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handlePaymentNotification } from '../../../app/payments/flow.ts';
import { notificationBytesMax } from '../../../app/payments/wire.ts';
import { onlineProviders } from '../../../domain/payment/payment.ts';
import type { RouteOptions } from '../../app.ts';
import { sendProblem } from '../../error-handler.ts';
import { withProblems } from '../../problems.ts';
import { idSchema } from '../../schemas.ts';

const handledSchema = z.object({
  outcome: z.enum(['recorded', 'already_recorded', 'ignored', 'flagged', 'refused']),
  paymentId: z.string().nullable(),
});

/** Providers retry a notification many times; this bounds what one address may send. */
const notificationsPerMinuteMax = 600;

/**
 * Payment provider notifications. Signatures are computed over the bytes as sent, so this plugin
 * replaces the JSON parser with one that keeps the raw body (any content type, at most
 * `notificationBytesMax`); the flow verifies, asks the provider, and records at most once. The
 * body therefore has no zod schema: it is bytes until the provider's adapter has checked them.
 *
 * Served at `/api/v1/webhooks/:provider[/:paymentId]`, and at the path the payment flow gives
 * providers, `/webhooks/payments/:provider[/:paymentId]` (docs/payments.md).
 */
export const webhookRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { payments, now }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: notificationBytesMax },
    (_request, body, done) => done(null, body),
  );

  const handler = async (
    request: FastifyRequest<{ Params: { provider: (typeof onlineProviders)[number]; paymentId?: string } }>,
    reply: FastifyReply,
  ) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const handled = await handlePaymentNotification(payments, request.params.provider, {
      headers: request.headers,
      rawBody,
      now: now(),
      ...(request.params.paymentId === undefined ? {} : { routeReference: request.params.paymentId }),
    });
    switch (handled.httpStatus) {
      case 200:
        return reply.code(200).send({ outcome: handled.outcome, paymentId: handled.paymentId });
      case 400:
        return sendProblem(reply, 'malformed_request', 'the notification could not be read');
      case 401:
        return sendProblem(reply, 'unauthenticated', 'the notification is not signed as expected');
      case 404:
        return sendProblem(reply, 'not_found', 'no payment matches this notification');
      case 503:
        return sendProblem(reply, 'unavailable', 'the payment is not confirmed yet; deliver again later');
      default:
        return handled satisfies never;
    }
  };

  const schema = (withPayment: boolean) => ({
    tags: ['webhooks'],
    summary: 'A payment provider notification (raw body, verified by the provider adapter)',
    security: [],
    params: withPayment
      ? z.object({ provider: z.enum(onlineProviders), paymentId: idSchema })
      : z.object({ provider: z.enum(onlineProviders) }),
    response: withProblems({ 200: handledSchema }),
  });
  const config = {
    public: true,
    rateLimit: {
      max: notificationsPerMinuteMax,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => `webhook:${request.ip}`,
    },
  };
  app.post('/api/v1/webhooks/:provider', { schema: schema(false), config }, handler);
  app.post('/api/v1/webhooks/:provider/:paymentId', { schema: schema(true), config }, handler);
  app.post('/webhooks/payments/:provider', { schema: { ...schema(false), hide: true }, config }, handler);
  app.post(
    '/webhooks/payments/:provider/:paymentId',
    { schema: { ...schema(true), hide: true }, config },
    handler,
  );
};
