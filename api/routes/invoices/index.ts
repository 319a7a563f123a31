import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueCreditNote } from '../../../app/billing/invoicing.ts';
import { invoiceDecider, invoiceStreamName, type InvoiceState } from '../../../domain/invoice/index.ts';
import { fromMoneyJson, type Money, moneySchema, toMoneyJson } from '../../../domain/money/index.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import {
  creditNoteDefinition,
  creditNoteDocument,
  creditNotesOf,
  invoiceDefinition,
  invoiceDocument,
  invoiceTenantId,
  renderPdf,
} from '../../../exports/pdf/index.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, tenantScope } from '../../auth/tenant-guard.ts';
import { listCreditNotes, listInvoices } from '../../../projections/invoices/invoices.queries.ts';
import type { InvoiceSummaryRow } from '../../../projections/invoices/invoices.table.ts';
import {
  booleanQuery,
  csvOf,
  minPositionSchema,
  readYourWrites,
  rowJson,
  rowSchema,
} from '../../read-models.ts';
import { assertRevisionMatches, commandContext, etag, runCommand } from '../../commands.ts';
import { tenantCalendarDate } from '../../payment-flow.ts';
import { notFound, refusal, withProblems } from '../../problems.ts';
import { commandResultSchema, idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';
import { readStreamEvents } from '../../streams.ts';
import { fold } from '../../../domain/shared/decider.ts';
import type { InvoiceEvent } from '../../../domain/invoice/index.ts';
import { tenantStream } from '../tenants/index.ts';
import { invoiceExportRoutes } from './export.ts';

const lineSchema = z.object({
  lineId: z.string(),
  kind: z.string(),
  description: z.string(),
  quantity: z.string(),
  unitPrice: moneySchema,
  amount: moneySchema,
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
});

const creditNoteSchema = z
  .object({
    creditNoteId: z.string(),
    number: z.string(),
    issuedOn: z.string(),
    reason: z.string(),
    net: moneySchema,
    tax: moneySchema,
    total: moneySchema,
  })
  .meta({ id: 'CreditNote' });

const invoiceSchema = z
  .object({
    invoiceId: z.string(),
    tenantId: z.string(),
    status: z.string(),
    currency: z.string(),
    number: z.string().nullable(),
    issuedOn: z.string().nullable(),
    dueOn: z.string().nullable(),
    lines: z.array(lineSchema),
    taxRatePercent: z.string().nullable(),
    subtotal: moneySchema.nullable(),
    tax: moneySchema.nullable(),
    total: moneySchema.nullable(),
    amountDue: moneySchema.nullable(),
    paid: moneySchema.nullable(),
    creditNotes: z.array(creditNoteSchema),
    revision: z.string(),
  })
  .meta({ id: 'Invoice' });

const json = (m: Money) => toMoneyJson(m);

/**
 * A credit note as the back office asks for one: everything still creditable, or a net (pre-tax)
 * amount in minor units; the TVA is computed on it as the domain rounds it (docs/rounding-invoices.md).
 */
const creditNoteRequestSchema = z
  .strictObject({
    reason: z.string().trim().min(1).max(500),
    credit: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('full') }),
      z.strictObject({ kind: z.literal('partial'), net: moneySchema }),
    ]),
  })
  .meta({ id: 'CreditNoteRequest' });

const creditNoteIssuedSchema = z
  .object({
    creditNote: creditNoteSchema,
    /** The part of the credit note the customer had already paid: it went to their credit balance. */
    toCustomerBalance: moneySchema,
    invoice: z.object({
      invoiceId: z.string(),
      status: z.string(),
      amountDue: moneySchema,
      /** Send it as `If-Match: "<revision>"` with the next command on this invoice. */
      revision: z.string(),
    }),
    /** A log position at or after the credit note's events: pass it as `minPosition` to lists. */
    position: z.string().nullable(),
  })
  .meta({ id: 'IssuedCreditNote' });

function present(
  state: Exclude<InvoiceState, { status: 'none' }>,
  creditNotes: z.infer<typeof creditNoteSchema>[],
  revision: bigint,
) {
  const revisionText = revision.toString();
  if ('draft' in state) {
    const d = state.draft;
    return {
      invoiceId: d.invoiceId,
      tenantId: d.tenantId,
      status: state.status,
      currency: d.currency,
      number: null,
      issuedOn: null,
      dueOn: null,
      lines: d.lines.map((l) => ({ ...l, unitPrice: json(l.unitPrice), amount: json(l.amount) })),
      taxRatePercent: null,
      subtotal: null,
      tax: null,
      total: null,
      amountDue: null,
      paid: null,
      creditNotes,
      revision: revisionText,
    };
  }
  const i = state.invoice;
  return {
    invoiceId: i.invoiceId,
    tenantId: i.tenantId,
    status: state.status,
    currency: i.currency,
    number: i.number,
    issuedOn: i.issuedOn,
    dueOn: i.dueOn,
    lines: i.lines.map((l) => ({ ...l, unitPrice: json(l.unitPrice), amount: json(l.amount) })),
    taxRatePercent: i.taxRatePercent,
    subtotal: json(i.subtotal),
    tax: json(i.tax),
    total: json(i.total),
    amountDue: json(state.account.amountDue),
    paid: json(state.account.paid),
    creditNotes,
    revision: revisionText,
  };
}

const invoiceParams = z.object({ invoiceId: idSchema });
const invoiceStatuses = [
  'draft',
  'issuing',
  'voided',
  'issued',
  'partially_paid',
  'overdue',
  'paid',
  'credited',
  'written_off',
] as const;
// The list's money and dates come from typed columns (bigint as text, to_char), so their patterns
// are documented for clients but not re-checked on each of fifty rows at every answer.
const minor = z.string().meta({ description: 'an amount in minor units (XOF: francs)', pattern: '^-?\\d+$' });
const calendarDate = z.string().meta({ description: 'YYYY-MM-DD', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const invoiceSummarySchema = z
  .object({
    invoiceId: z.string(),
    tenantId: z.string(),
    status: z.enum(invoiceStatuses),
    /** Null while a draft. */
    number: z.string().nullable(),
    currency: z.string(),
    issuedOn: calendarDate.nullable(),
    dueOn: calendarDate.nullable(),
    subtotalMinor: minor.nullable(),
    taxMinor: minor.nullable(),
    totalMinor: minor.nullable(),
    paidMinor: minor,
    customerCreditAppliedMinor: minor,
    creditedTotalMinor: minor,
    writtenOffMinor: minor,
    amountDueMinor: minor,
    overdueOn: calendarDate.nullable(),
    paidOn: calendarDate.nullable(),
    creditNotesCount: z.number().int(),
  })
  .meta({ id: 'InvoiceSummary' });

/** A list row as the API answers it: explicit, so the list's shape is the schema's and nothing more. */
function invoiceSummaryJson(r: InvoiceSummaryRow): z.infer<typeof invoiceSummarySchema> {
  return {
    invoiceId: r.invoice_id,
    tenantId: r.tenant_id,
    status: r.status,
    number: r.number,
    currency: r.currency,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    subtotalMinor: r.subtotal_minor,
    taxMinor: r.tax_minor,
    totalMinor: r.total_minor,
    paidMinor: r.paid_minor,
    customerCreditAppliedMinor: r.customer_credit_applied_minor,
    creditedTotalMinor: r.credited_total_minor,
    writtenOffMinor: r.written_off_minor,
    amountDueMinor: r.amount_due_minor,
    overdueOn: r.overdue_on,
    paidOn: r.paid_on,
    creditNotesCount: r.credit_notes_count,
  };
}

const creditNoteRowSchema = rowSchema(
  { creditNoteId: z.string(), invoiceId: z.string(), number: z.string(), totalMinor: z.string() },
  'CreditNoteSummary',
);
const languageQuery = z.object({ lang: z.enum(['fr', 'en']).optional() });
const pdfResponse = z.any().meta({ description: 'application/pdf' });

/**
 * Invoices read from their stream (always current, with the revision as ETag), their PDFs and
 * their credit notes' PDFs, the invoice commands that need no number (void, write-off), and the
 * credit note, which takes its number from the AV series through `issueCreditNote`.
 */
export const invoiceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  const { ledger, now } = options;
  await app.register(invoiceExportRoutes, options);
  const read = { permission: 'invoices:read' as const };

  /** The invoice's events, once the caller is known to be allowed to see its tenant. */
  const loadInvoice = async (request: Parameters<typeof principalOf>[0], invoiceId: string) => {
    const events = await readStreamEvents(ledger, invoiceStreamName(invoiceId));
    const tenantId = invoiceTenantId(events);
    if (tenantId === null) throw notFound(`invoice ${invoiceId}`);
    assertTenantAccess(principalOf(request), tenantId, `invoice ${invoiceId}`);
    return { events, tenantId };
  };

  app.get(
    '/api/v1/invoices',
    {
      config: read,
      schema: {
        tags: ['invoices'],
        summary: 'List invoices from the read model: filters, number search, sort, cursor pages',
        querystring: pageQuerySchema.extend({
          tenantId: idSchema.optional(),
          status: csvOf([...invoiceStatuses]),
          open: booleanQuery,
          /** The start of the invoice number, e.g. `F-2026-`. */
          search: z.string().trim().min(1).max(40).optional(),
          issuedFrom: z.iso.date().optional(),
          issuedTo: z.iso.date().optional(),
          dueBefore: z.iso.date().optional(),
          sort: z.enum(['issued_desc', 'due_asc']).default('issued_desc'),
          minPosition: minPositionSchema,
        }),
        response: withProblems({ 200: pageOf(invoiceSummarySchema) }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await readYourWrites(ledger, request, reply, q.minPosition, ['invoices']);
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const page = await listInvoices(
        ledger.db,
        {
          ...(tenantId === undefined ? {} : { tenantId }),
          ...(q.status === undefined ? {} : { status: q.status }),
          ...(q.open === undefined ? {} : { open: q.open }),
          ...(q.search === undefined ? {} : { numberPrefix: q.search }),
          ...(q.issuedFrom === undefined ? {} : { issuedFrom: q.issuedFrom }),
          ...(q.issuedTo === undefined ? {} : { issuedTo: q.issuedTo }),
          ...(q.dueBefore === undefined ? {} : { dueBefore: q.dueBefore }),
        },
        q.sort,
        { limit: q.limit, cursor: q.cursor ?? null },
      );
      return { items: page.items.map(invoiceSummaryJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/credit-notes',
    {
      config: read,
      schema: {
        tags: ['credit notes'],
        summary: 'List credit notes from the read model, newest first',
        querystring: pageQuerySchema.extend({
          tenantId: idSchema.optional(),
          invoiceId: idSchema.optional(),
        }),
        response: withProblems({ 200: pageOf(creditNoteRowSchema) }),
      },
    },
    async (request) => {
      const q = request.query;
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const page = await listCreditNotes(
        ledger.db,
        {
          ...(tenantId === undefined ? {} : { tenantId }),
          ...(q.invoiceId === undefined ? {} : { invoiceId: q.invoiceId }),
        },
        { limit: q.limit, cursor: q.cursor ?? null },
      );
      return { items: page.items.map(rowJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/invoices/:invoiceId',
    {
      config: read,
      schema: {
        tags: ['invoices'],
        summary: 'One invoice with its lines, totals, amount due and credit notes; the ETag is its revision',
        params: invoiceParams,
        response: withProblems({ 200: invoiceSchema }),
      },
    },
    async (request, reply) => {
      const { events } = await loadInvoice(request, request.params.invoiceId);
      const state = fold(
        invoiceDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as InvoiceEvent),
      );
      if (state.status === 'none') throw notFound(`invoice ${request.params.invoiceId}`);
      const revision = events.at(-1)!.revision;
      reply.header('etag', etag(revision));
      return present(state, creditNotesOf(events), revision);
    },
  );

  app.get(
    '/api/v1/invoices/:invoiceId/pdf',
    {
      config: read,
      schema: {
        tags: ['invoices'],
        summary:
          "The invoice as a PDF, in the tenant's language unless lang is given; a reprint is identical",
        params: invoiceParams,
        querystring: languageQuery,
        response: withProblems({ 200: pdfResponse }),
      },
    },
    async (request, reply) => {
      const { events, tenantId } = await loadInvoice(request, request.params.invoiceId);
      const tenantEvents = await readStreamEvents(ledger, tenantStream(tenantId));
      const document = invoiceDocument(events, tenantEvents, request.query.lang);
      if (document === null) throw notFound(`an issued invoice ${request.params.invoiceId}`);
      const pdf = await renderPdf(invoiceDefinition(document));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${document.number}.pdf"`)
        .header('cache-control', 'private, max-age=3600')
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/invoices/:invoiceId/credit-notes',
    {
      config: read,
      schema: {
        tags: ['credit notes'],
        summary: "The invoice's credit notes",
        params: invoiceParams,
        response: withProblems({ 200: z.object({ items: z.array(creditNoteSchema) }) }),
      },
    },
    async (request) => {
      const { events } = await loadInvoice(request, request.params.invoiceId);
      return { items: creditNotesOf(events) };
    },
  );

  app.get(
    '/api/v1/invoices/:invoiceId/credit-notes/:creditNoteId/pdf',
    {
      config: read,
      schema: {
        tags: ['credit notes'],
        summary: 'A credit note as a PDF',
        params: invoiceParams.extend({ creditNoteId: idSchema }),
        querystring: languageQuery,
        response: withProblems({ 200: pdfResponse }),
      },
    },
    async (request, reply) => {
      const { events, tenantId } = await loadInvoice(request, request.params.invoiceId);
      const tenantEvents = await readStreamEvents(ledger, tenantStream(tenantId));
      const document = creditNoteDocument(
        events,
        tenantEvents,
        request.params.creditNoteId,
        request.query.lang,
      );
      if (document === null) throw notFound(`credit note ${request.params.creditNoteId}`);
      const pdf = await renderPdf(creditNoteDefinition(document));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${document.number}.pdf"`)
        .send(pdf);
    },
  );

  const write = { permission: 'invoices:write' as const, command: true };

  app.post(
    '/api/v1/invoices/:invoiceId/void',
    {
      config: write,
      schema: {
        tags: ['invoices'],
        summary: 'Void a draft (an issued invoice is corrected by a credit note instead)',
        params: invoiceParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      await loadInvoice(request, request.params.invoiceId);
      const at = now();
      return runCommand(
        ledger,
        request,
        invoiceDecider,
        invoiceStreamName(request.params.invoiceId),
        { type: 'Void', reason: request.body.reason, now: at.toISOString() },
        at,
      );
    },
  );

  app.post(
    '/api/v1/invoices/:invoiceId/write-off',
    {
      config: write,
      schema: {
        tags: ['invoices'],
        summary: 'Write off what is still due (bad debt); the invoice itself never changes',
        params: invoiceParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500), writtenOffOn: z.iso.date() }),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      await loadInvoice(request, request.params.invoiceId);
      const at = now();
      return runCommand(
        ledger,
        request,
        invoiceDecider,
        invoiceStreamName(request.params.invoiceId),
        {
          type: 'WriteOff',
          reason: request.body.reason,
          writtenOffOn: request.body.writtenOffOn,
          now: at.toISOString(),
        },
        at,
      );
    },
  );

  app.post(
    '/api/v1/invoices/:invoiceId/credit-notes',
    {
      config: write,
      schema: {
        tags: ['credit notes'],
        summary:
          'Issue a credit note dated today: its own gapless AV number, never more than is left to credit',
        params: invoiceParams,
        body: creditNoteRequestSchema,
        response: withProblems({ 201: creditNoteIssuedSchema }),
      },
    },
    async (request, reply) => {
      const at = now();
      const { invoiceId } = request.params;
      const { tenantId } = await loadInvoice(request, invoiceId);
      await assertRevisionMatches(ledger, request, invoiceStreamName(invoiceId));
      const context = commandContext(request, at);
      const { credit, reason } = request.body;
      const outcome = await issueCreditNote(
        { store: ledger.store, clock: now },
        {
          invoiceId,
          // Derived from the caller's Idempotency-Key, so a retry completes the same credit note.
          creditNoteId: uuidV5(`credit-note:${context.idempotencyKey}`),
          issuedOn: await tenantCalendarDate(ledger, tenantId, at),
          reason,
          credit: credit.kind === 'full' ? credit : { kind: 'partial', net: fromMoneyJson(credit.net) },
        },
        context,
      );
      if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
      const events = await readStreamEvents(ledger, invoiceStreamName(invoiceId));
      const state = fold(
        invoiceDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as InvoiceEvent),
      );
      const creditNote = creditNotesOf(events).find((c) => c.creditNoteId === outcome.value.creditNoteId);
      if (creditNote === undefined || !('account' in state)) {
        throw new Error(`credit note ${outcome.value.creditNoteId} is not on invoice ${invoiceId}`);
      }
      // The use case spans the invoice, its AV series and the customer's balance: the head of the
      // log is at or after all of them, which is what read-your-writes needs.
      const head = await ledger.store.committedHead();
      return reply.code(201).send({
        creditNote,
        toCustomerBalance: json(outcome.value.toCustomerBalance),
        invoice: {
          invoiceId,
          status: state.status,
          amountDue: json(state.account.amountDue),
          revision: events.at(-1)!.revision.toString(),
        },
        position: head === '' ? null : head,
      });
    },
  );
};
