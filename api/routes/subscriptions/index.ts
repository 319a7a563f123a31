import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SubscriptionDone } from '../../../app/billing/subscriptions.ts';
import {
  cancelSubscription,
  changePlan,
  invoiceTrialUpfront,
  previewPlanChange,
  readSubscription,
  reinstateSubscription,
  startSubscription,
  subscriptionStreamName,
} from '../../../app/billing/subscriptions.ts';
import { fromMoneyJson, moneySchema } from '../../../domain/money/index.ts';
import { fold } from '../../../domain/shared/decider.ts';
import {
  cancellationReasons,
  entitlements,
  subscriptionDecider,
} from '../../../domain/subscription/index.ts';
import { type TenantEvent, tenantDecider } from '../../../domain/tenant/index.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import { handleCommand } from '../../../app/command-handler.ts';
import { step } from '../../../app/billing/support.ts';
import { settleSubscription } from '../../../app/billing/subscriptions.ts';
import { commandContext, runCommand } from '../../commands.ts';
import { tenantCalendarDate } from '../../payment-flow.ts';
import { readStreamEvents } from '../../streams.ts';
import { tenantStream } from '../tenants/index.ts';
import { z } from 'zod';
import {
  getSubscription,
  listSubscriptions,
} from '../../../projections/subscriptions/subscriptions.queries.ts';
import type { SubscriptionStatus } from '../../../projections/subscriptions/subscriptions.table.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, tenantScope } from '../../auth/tenant-guard.ts';
import { notFound, refusal, withProblems } from '../../problems.ts';
import { csvOf, minPositionSchema, readYourWrites, rowJson, rowSchema } from '../../read-models.ts';
import { commandResultSchema, idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';

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
 * Subscriptions: lists from the read model; start, plan change (with a preview that commits
 * nothing) and cancellation through the billing use cases in `app/billing/subscriptions.ts`; and
 * the entitlements the core product reads (what a tenant may use today). Legal dates ("today")
 * are the tenant's calendar date in its time zone.
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
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
        querystring: z.object({ minPosition: minPositionSchema }),
        response: withProblems({ 200: subscriptionSchema }),
      },
    },
    async (request, reply) => {
      // Right after a start or a conversion the read model may not hold the row yet.
      await readYourWrites(ledger, request, reply, request.query.minPosition, ['subscriptions']);
      const row = await getSubscription(ledger.db, request.params.subscriptionId);
      const what = `subscription ${request.params.subscriptionId}`;
      if (row === null) throw notFound(what);
      assertTenantAccess(principalOf(request), row.tenant_id, what);
      return rowJson(row);
    },
  );

  const write = { permission: 'subscriptions:write' as const, command: true };
  const deps = { store: ledger.store, clock: now };
  const termsBody = {
    planCode: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/),
    interval: z.enum(['monthly', 'annual']),
    /** For a plan priced per tenant (Enterprise): the price of one interval. */
    negotiatedPrice: moneySchema.optional(),
  };
  const doneSchema = z.object({
    subscriptionId: z.string(),
    status: z.string(),
    invoices: z.array(z.object({ invoiceId: z.string(), number: z.string(), issuedOn: z.string() })),
    creditNotes: z.array(z.string()),
    timing: z.enum(['immediately', 'at_period_end']).optional(),
    position: z.string().nullable(),
  });
  const present = async (done: SubscriptionDone & { timing?: 'immediately' | 'at_period_end' }) => {
    const head = await ledger.store.committedHead();
    return {
      subscriptionId: done.subscriptionId,
      status: done.status,
      invoices: done.invoices.map((b) => ({
        invoiceId: b.invoiceId,
        number: b.number,
        issuedOn: b.issuedOn,
      })),
      creditNotes: [...done.creditNotes],
      ...(done.timing === undefined ? {} : { timing: done.timing }),
      position: head === '' ? null : head,
    };
  };
  /** The subscription's state, once the caller is known to be allowed to see its tenant. */
  const loadOwned = async (request: FastifyRequest, subscriptionId: string) => {
    const { state } = await readSubscription(deps, subscriptionId);
    const what = `subscription ${subscriptionId}`;
    if (state.status === 'none') throw notFound(what);
    assertTenantAccess(principalOf(request), state.tenantId, what);
    return state;
  };
  const negotiated = (price: z.infer<typeof moneySchema> | undefined) =>
    price === undefined ? {} : { negotiatedPrice: fromMoneyJson(price) };

  app.post(
    '/api/v1/subscriptions',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary:
          "Start a subscription on the plan's latest version: a trial, or paid at once (first invoice issued)",
        body: z.strictObject({
          tenantId: idSchema,
          ...termsBody,
          trial: z.boolean().default(true),
          anchorDate: z.iso.date().optional(),
        }),
        response: withProblems({ 201: doneSchema }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { tenantId, negotiatedPrice, ...rest } = request.body;
      assertTenantAccess(principalOf(request), tenantId, `tenant ${tenantId}`);
      const context = commandContext(request, at);
      const outcome = await startSubscription(
        deps,
        {
          ...rest,
          ...negotiated(negotiatedPrice),
          tenantId,
          subscriptionId: uuidV5(`subscription:${context.idempotencyKey}`),
          today: await tenantCalendarDate(ledger, tenantId, at),
        },
        context,
      );
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      return reply.code(201).send(await present(outcome.value));
    },
  );

  const subscriptionParams = z.object({ subscriptionId: idSchema });

  app.post(
    '/api/v1/subscriptions/:subscriptionId/plan-change/preview',
    {
      config: { permission: 'subscriptions:read' },
      schema: {
        tags: ['subscriptions'],
        summary: 'What a plan change would do (direction, timing, exact proration), committing nothing',
        params: subscriptionParams,
        body: z.strictObject(termsBody),
        response: withProblems({
          200: z.looseObject({ direction: z.string(), timing: z.string(), effectiveOn: z.string() }),
        }),
      },
    },
    async (request) => {
      const state = await loadOwned(request, request.params.subscriptionId);
      const { negotiatedPrice, ...rest } = request.body;
      const outcome = await previewPlanChange(deps, {
        ...rest,
        ...negotiated(negotiatedPrice),
        subscriptionId: request.params.subscriptionId,
        today: await tenantCalendarDate(ledger, state.tenantId, now()),
      });
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      return rowJson(outcome.value);
    },
  );

  app.post(
    '/api/v1/subscriptions/:subscriptionId/plan-change',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary:
          'Change plan: an upgrade applies now and bills its proration, a downgrade waits for the period end',
        params: subscriptionParams,
        body: z.strictObject(termsBody),
        response: withProblems({ 200: doneSchema }),
      },
    },
    async (request) => {
      const at = now();
      const state = await loadOwned(request, request.params.subscriptionId);
      const { negotiatedPrice, ...rest } = request.body;
      const outcome = await changePlan(
        deps,
        {
          ...rest,
          ...negotiated(negotiatedPrice),
          subscriptionId: request.params.subscriptionId,
          today: await tenantCalendarDate(ledger, state.tenantId, at),
        },
        commandContext(request, at),
      );
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      return present(outcome.value);
    },
  );

  app.post(
    '/api/v1/subscriptions/:subscriptionId/convert',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary:
          'Convert a trial now: the first period is invoiced at once and the subscription becomes active',
        params: subscriptionParams,
        body: z.strictObject({}).optional(),
        response: withProblems({ 200: doneSchema }),
      },
    },
    async (request) => {
      const at = now();
      const subscriptionId = request.params.subscriptionId;
      const state = await loadOwned(request, subscriptionId);
      if (state.status !== 'trialing') {
        throw refusal('subscription_not_trialing', `the subscription is ${state.status}`);
      }
      const today = await tenantCalendarDate(ledger, state.tenantId, at);
      const context = commandContext(request, at);
      // The first period's invoice is the one the portal's pay-now issues during a trial (same id),
      // so converting never bills that period twice; the period still starts at the trial end, so
      // the remaining trial days stay free.
      const billed = await invoiceTrialUpfront(deps, { subscriptionId, today }, step(context, 'invoice'));
      if (!billed.ok) throw refusal(billed.refusal.code, billed.refusal.message, billed.refusal.field);
      const converted = await handleCommand(
        ledger.store,
        subscriptionDecider,
        subscriptionStreamName(subscriptionId),
        { type: 'ConvertTrial', subscriptionId, invoiceId: billed.value.invoiceId, today, by: 'operator' },
        step(context, 'convert'),
      );
      if (!converted.ok) {
        throw refusal(converted.refusal.code, converted.refusal.message, converted.refusal.field);
      }
      const settled = await settleSubscription(deps, { subscriptionId, today }, step(context, 'settle'));
      if (!settled.ok) throw refusal(settled.refusal.code, settled.refusal.message, settled.refusal.field);
      return present({ ...settled.value, invoices: [billed.value] });
    },
  );

  app.post(
    '/api/v1/subscriptions/:subscriptionId/cancel',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary: 'Cancel at the period end, or now with a credit note for the unused days',
        params: subscriptionParams,
        body: z.strictObject({
          atPeriodEnd: z.boolean().default(true),
          reason: z.enum(cancellationReasons).default('customer_request'),
        }),
        response: withProblems({ 200: doneSchema }),
      },
    },
    async (request) => {
      const at = now();
      const state = await loadOwned(request, request.params.subscriptionId);
      const outcome = await cancelSubscription(
        deps,
        {
          subscriptionId: request.params.subscriptionId,
          mode: request.body.atPeriodEnd ? 'at_period_end' : 'immediately',
          reason: request.body.reason,
          today: await tenantCalendarDate(ledger, state.tenantId, at),
        },
        commandContext(request, at),
      );
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      return present(outcome.value);
    },
  );

  app.post(
    '/api/v1/subscriptions/:subscriptionId/reactivate',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary:
          'Withdraw a cancellation scheduled for the period end, or reinstate a past-due or suspended subscription',
        params: subscriptionParams,
        body: z.strictObject({}).optional(),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      const state = await loadOwned(request, request.params.subscriptionId);
      const today = await tenantCalendarDate(ledger, state.tenantId, at);
      const subscriptionId = request.params.subscriptionId;
      if (state.status === 'past_due' || state.status === 'suspended') {
        const outcome = await reinstateSubscription(
          deps,
          { subscriptionId, today },
          commandContext(request, at),
        );
        if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
        return {
          events: outcome.events.map((e) => ({ type: e.type })),
          position: outcome.position,
          revision: outcome.revision === null ? null : outcome.revision.toString(),
          replayed: outcome.replayed,
        };
      }
      return runCommand(
        ledger,
        request,
        subscriptionDecider,
        subscriptionStreamName(subscriptionId),
        { type: 'WithdrawCancellation', subscriptionId, today },
        at,
      );
    },
  );

  const entitlementsSchema = z
    .object({
      tenantId: z.string(),
      subscriptionId: z.string().nullable(),
      allowed: z.boolean(),
      reason: z.string(),
      planCode: z.string().nullable(),
      planVersion: z.number().nullable(),
      quotas: z.array(
        z.object({ meter: z.string(), includedQuantity: z.number().nullable(), overageAllowed: z.boolean() }),
      ),
      periodEndsOn: z.string().nullable(),
    })
    .meta({ id: 'Entitlements' });

  app.get(
    '/api/v1/tenants/:tenantId/entitlements',
    {
      config: { permission: 'entitlements:read' },
      schema: {
        tags: ['subscriptions'],
        summary: "What the tenant may use today: allowed or not, why, and each meter's quota",
        params: z.object({ tenantId: idSchema }),
        response: withProblems({ 200: entitlementsSchema }),
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      assertTenantAccess(principalOf(request), tenantId, `tenant ${tenantId}`);
      const tenantEvents = await readStreamEvents(ledger, tenantStream(tenantId));
      const tenant = fold(
        tenantDecider,
        tenantEvents.map((e) => ({ type: e.type, data: e.data }) as TenantEvent),
      );
      if (tenant.status === 'unregistered') throw notFound(`tenant ${tenantId}`);
      // The newest live subscription from the read model, then its state from its stream.
      const page = await listSubscriptions(
        ledger.db,
        { tenantId, status: ['trialing', 'active', 'past_due', 'suspended'] },
        { limit: 1 },
      );
      const subscriptionId = page.items[0]?.subscription_id ?? null;
      const state =
        subscriptionId === null
          ? ({ status: 'none' } as const)
          : (await readSubscription(deps, subscriptionId)).state;
      const today = await tenantCalendarDate(ledger, tenantId, now());
      const granted = entitlements(state as never, today, tenant.status);
      return {
        tenantId,
        subscriptionId,
        allowed: granted.allowed,
        reason: granted.reason,
        planCode: granted.planCode,
        planVersion: granted.planVersion,
        quotas: granted.quotas.map((q) => ({ ...q })),
        periodEndsOn: granted.periodEndsOn,
      };
    },
  );
};
