import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  invoiceStanding,
  recordPaymentPromise,
  remindInvoice,
  remindTenant,
} from '../../../app/billing/dunning.ts';
import { loadTenant } from '../../../app/billing/tenants.ts';
import type { CommandOutcome } from '../../../app/command-handler.ts';
import {
  dunningNoteLengthMax,
  type DunningEvent,
  reminderChannels,
} from '../../../domain/dunning/dunning.ts';
import { moneySchema } from '../../../domain/money/index.ts';
import { overdueInvoiceIds } from '../../../projections/dunning/dunning.queries.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess } from '../../auth/tenant-guard.ts';
import { commandContext } from '../../commands.ts';
import { tenantCalendarDate } from '../../payment-flow.ts';
import { notFound, refusal, withProblems } from '../../problems.ts';
import { commandResultSchema, idSchema } from '../../schemas.ts';

/** A named limit: the overdue invoices one tenant-wide reminder call reminds, oldest due first. */
export const remindersPerCallMax = 50;

const note = z.string().trim().max(dunningNoteLengthMax).optional();
const reminderBody = z.strictObject({
  /** How the tenant was reminded: the e-mail goes out by itself; an SMS or call is recorded as made. */
  channel: z.enum(reminderChannels).default('email'),
  note,
});
const reminderSchema = z.object({
  invoiceId: z.string(),
  sentOn: z.string(),
  channel: z.string(),
  daysAfterDue: z.number(),
});
const remindersResult = commandResultSchema.extend({
  reminders: z.array(reminderSchema),
  /** Overdue invoices listed but not reminded, with the refusal code (already reminded today…). */
  skipped: z.array(z.object({ invoiceId: z.string(), code: z.string() })),
});
const promiseResult = commandResultSchema.extend({
  promise: z.object({ invoiceId: z.string(), promisedOn: z.string(), amount: moneySchema }),
});

const reminderView = (event: DunningEvent) =>
  event.type === 'ReminderSent'
    ? [
        {
          invoiceId: event.data.invoiceId,
          sentOn: event.data.sentOn,
          channel: event.data.channel,
          daysAfterDue: event.data.daysAfterDue,
        },
      ]
    : [];

function answer(outcome: CommandOutcome<DunningEvent>) {
  if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
  return {
    position: outcome.position,
    revision: outcome.revision === null ? null : outcome.revision.toString(),
    replayed: outcome.replayed,
    events: outcome.events.map((e) => ({ type: e.type })),
  };
}

/**
 * Dunning commands of the overdue page: remind a tenant now (of one overdue invoice, or of all of
 * them) and record its promise to pay. Staff who bill (super-admin, accountant) may; the invoice
 * or tenant must belong to a caller bound to one. Legal dates are the tenant's calendar days.
 */
export const dunningRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const deps = { store: ledger.store, clock: now };
  const write = { permission: 'invoices:write' as const, command: true };
  const invoiceParams = z.object({ invoiceId: idSchema });

  /** The invoice's tenant, once the caller is known to be allowed to see it. */
  const ownedInvoice = async (request: FastifyRequest, invoiceId: string): Promise<string> => {
    const invoice = await invoiceStanding(deps, invoiceId);
    if (invoice === null) throw notFound(`invoice ${invoiceId}`);
    assertTenantAccess(principalOf(request), invoice.tenantId, `invoice ${invoiceId}`);
    return invoice.tenantId;
  };

  app.post(
    '/api/v1/invoices/:invoiceId/reminders',
    {
      config: write,
      schema: {
        tags: ['overdue risk'],
        summary: 'Remind the tenant of this overdue invoice now (at most once a day per invoice)',
        params: invoiceParams,
        body: reminderBody,
        response: withProblems({ 201: remindersResult }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { invoiceId } = request.params;
      const tenantId = await ownedInvoice(request, invoiceId);
      const outcome = await remindInvoice(
        deps,
        {
          invoiceId,
          channel: request.body.channel,
          note: request.body.note || null,
          today: await tenantCalendarDate(ledger, tenantId, at),
        },
        commandContext(request, at),
      );
      const result = answer(outcome);
      return reply
        .code(201)
        .send({ ...result, reminders: outcome.ok ? outcome.events.flatMap(reminderView) : [], skipped: [] });
    },
  );

  app.post(
    '/api/v1/overdue-risk/:tenantId/reminders',
    {
      config: write,
      schema: {
        tags: ['overdue risk'],
        summary: `Remind the tenant now of each of its overdue invoices (oldest ${remindersPerCallMax} first)`,
        params: z.object({ tenantId: idSchema }),
        body: reminderBody,
        response: withProblems({ 201: remindersResult }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { tenantId } = request.params;
      assertTenantAccess(principalOf(request), tenantId, `tenant ${tenantId}`);
      if ((await loadTenant(deps, tenantId)).status === 'unregistered') throw notFound(`tenant ${tenantId}`);
      const today = await tenantCalendarDate(ledger, tenantId, at);
      const invoiceIds = await overdueInvoiceIds(ledger.db, tenantId, today, remindersPerCallMax);
      const outcome = await remindTenant(
        deps,
        { tenantId, invoiceIds, channel: request.body.channel, note: request.body.note || null, today },
        commandContext(request, at),
      );
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      const { sent, skipped, position } = outcome.value;
      return reply.code(201).send({
        position,
        revision: null,
        replayed: sent.every((s) => s.replayed),
        events: sent.map(() => ({ type: 'ReminderSent' })),
        reminders: sent.map(({ invoiceId, sentOn, channel, daysAfterDue }) => ({
          invoiceId,
          sentOn,
          channel,
          daysAfterDue,
        })),
        skipped: skipped.map((s) => ({ invoiceId: s.invoiceId, code: s.refusal.code })),
      });
    },
  );

  app.post(
    '/api/v1/invoices/:invoiceId/payment-promises',
    {
      config: write,
      schema: {
        tags: ['overdue risk'],
        summary:
          'Record the tenant’s promise to pay an amount of this overdue invoice by a date (replaces an earlier one)',
        params: invoiceParams,
        body: z.strictObject({
          /** A day on the tenant's calendar, today or later. */
          promisedOn: z.iso.date(),
          /** Minor units of the invoice's currency, as a string (e.g. "15000" for 15 000 FCFA). */
          amountMinor: z.string().regex(/^\d{1,18}$/, 'a whole number of minor units, e.g. "15000"'),
          note,
        }),
        response: withProblems({ 201: promiseResult }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { invoiceId } = request.params;
      const tenantId = await ownedInvoice(request, invoiceId);
      const outcome = await recordPaymentPromise(
        deps,
        {
          invoiceId,
          promisedOn: request.body.promisedOn,
          amountMinor: BigInt(request.body.amountMinor),
          note: request.body.note || null,
          today: await tenantCalendarDate(ledger, tenantId, at),
        },
        commandContext(request, at),
      );
      const result = answer(outcome);
      const promised = outcome.ok ? outcome.events.find((e) => e.type === 'PaymentPromised') : undefined;
      if (promised?.type !== 'PaymentPromised') throw new Error('a promise was accepted without its event');
      const { promisedOn, amount } = promised.data;
      return reply.code(201).send({ ...result, promise: { invoiceId, promisedOn, amount } });
    },
  );
};
