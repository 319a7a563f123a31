import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addressSchema,
  closureReasons,
  preferredLanguages,
  suspensionReasons,
  type TenantDetails,
  type TenantState,
  tenantDecider,
  tenantDetailsSchema,
} from '../../../domain/tenant/index.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, boundTenant } from '../../auth/tenant-guard.ts';
import { changeBillingContact } from '../../../app/billing/tenants.ts';
import { assertRevisionMatches, commandContext, commandResult, etag, runCommand } from '../../commands.ts';
import { commandKey } from '../../idempotency.ts';
import { notFound, withProblems } from '../../problems.ts';
import { commandResultSchema, idSchema, pageOf, pageQuerySchema } from '../../schemas.ts';
import { loadAggregate } from '../../streams.ts';
import { minPositionSchema, readYourWrites } from '../../read-models.ts';
import {
  getTenant as getTenantRow,
  listTenants as listTenantRows,
} from '../../../projections/tenants/tenants.queries.ts';
import type { TenantRow } from '../../../projections/tenants/tenants.table.ts';

export const tenantStream = (tenantId: string) => `tenant-${tenantId}`;
const tenantStatuses = ['active', 'suspended', 'closed'] as const;

const tenantSchema = z
  .object({
    tenantId: z.string(),
    status: z.enum(tenantStatuses),
    revision: z.string(),
    registeredAt: z.string(),
    details: tenantDetailsSchema,
  })
  .meta({ id: 'Tenant' });

/** What a registration form sends: the optional fields take the tenant defaults. */
const registrationSchema = z.strictObject({
  legalName: z.string().max(200),
  taxId: z.string().max(40),
  tradeRegisterNumber: z.string().max(40),
  address: z.strictObject({
    line1: z.string().max(200),
    line2: z.string().max(200).nullable().optional(),
    city: z.string().max(200),
    postalCode: z.string().max(20).nullable().optional(),
  }),
  country: z.string().max(2),
  billingCurrency: z.string().max(3),
  billingEmail: z.string().max(254),
  billingPhone: z.string().max(16),
  timeZone: z.string().max(64).optional(),
  taxExempt: z.boolean().optional(),
  taxExemptionNote: z.string().max(1000).nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  preferredLanguage: z.enum(preferredLanguages).optional(),
});

const changesSchema = z.strictObject({
  legalName: z.string().max(200).optional(),
  taxId: z.string().max(40).optional(),
  tradeRegisterNumber: z.string().max(40).optional(),
  address: addressSchema.strict().optional(),
  country: z.string().max(2).optional(),
  billingEmail: z.string().max(254).optional(),
  billingPhone: z.string().max(16).optional(),
  timeZone: z.string().max(64).optional(),
  taxExempt: z.boolean().optional(),
  taxExemptionNote: z.string().max(1000).nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  preferredLanguage: z.enum(preferredLanguages).optional(),
});

/**
 * What a tenant's own admin may change: the billing contact and nothing else. Any other field
 * (legal name, NINEA, RCCM, tax exemption, terms…) is an unknown key here, a 400 naming it.
 */
const billingContactSchema = z
  .strictObject({
    billingEmail: z.string().max(254).optional(),
    /** As people type it (`+221 77 123 45 67`); stored as E.164 without the spaces. */
    billingPhone: z.string().max(32).optional(),
    address: addressSchema.strict().optional(),
  })
  .meta({ id: 'BillingContactChange' });

function present(state: Exclude<TenantState, { status: 'unregistered' }>, revision: bigint) {
  return {
    tenantId: state.tenantId,
    status: state.status,
    revision: revision.toString(),
    registeredAt: state.registeredAt,
    details: state.details,
  };
}

const tenantParams = z.object({ tenantId: idSchema });

/**
 * Tenants: register, update details, suspend, reactivate, close; list and read. A tenant-scoped
 * caller sees its own tenant only.
 */
export const tenantRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const read = { permission: 'tenants:read' as const };
  const write = { permission: 'tenants:write' as const, command: true };

  /** A read-model row in the shape of the detail route, with the stream's current revision. */
  const fromRow = async (row: TenantRow) => ({
    tenantId: row.tenant_id,
    status: row.status,
    revision: String((await ledger.store.streamRevision(tenantStream(row.tenant_id))) ?? -1n),
    registeredAt: new Date(row.registered_at).toISOString(),
    details: {
      legalName: row.legal_name,
      taxId: row.tax_id,
      tradeRegisterNumber: row.trade_register_number,
      address: row.address,
      country: row.country as TenantDetails['country'],
      billingCurrency: row.billing_currency,
      billingEmail: row.billing_email,
      billingPhone: row.billing_phone,
      timeZone: row.time_zone,
      taxExempt: row.tax_exempt,
      taxExemptionNote: row.tax_exemption_note,
      paymentTermsDays: row.payment_terms_days,
      preferredLanguage: row.preferred_language as TenantDetails['preferredLanguage'],
    },
  });

  const loadTenant = async (tenantId: string) => {
    const loaded = await loadAggregate(ledger, tenantDecider, tenantStream(tenantId));
    if (loaded.state.status === 'unregistered' || loaded.revision === null)
      throw notFound(`tenant ${tenantId}`);
    return { state: loaded.state, revision: loaded.revision };
  };

  app.get(
    '/api/v1/tenants',
    {
      config: read,
      schema: {
        tags: ['tenants'],
        summary:
          'List tenants by legal name from the read model; filter by status and country, search the name',
        querystring: pageQuerySchema.extend({
          status: z.enum(tenantStatuses).optional(),
          /** The start of the legal name, any case. */
          search: z.string().trim().min(1).max(100).optional(),
          country: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .optional(),
          minPosition: minPositionSchema,
        }),
        response: withProblems({ 200: pageOf(tenantSchema) }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await readYourWrites(ledger, request, reply, q.minPosition, ['tenants']);
      const bound = boundTenant(principalOf(request));
      const filter = {
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.country === undefined ? {} : { country: q.country }),
        ...(q.search === undefined ? {} : { search: q.search }),
      };
      if (bound !== null) {
        // A tenant-scoped caller's list is its own tenant, when it matches the filters.
        const row = q.cursor === undefined ? await getTenantRow(ledger.db, bound) : null;
        const matches =
          row !== null &&
          (q.status === undefined || row.status === q.status) &&
          (q.country === undefined || row.country === q.country) &&
          (q.search === undefined || row.legal_name.toLowerCase().startsWith(q.search.toLowerCase()));
        return { items: matches ? [await fromRow(row)] : [], nextCursor: null };
      }
      const page = await listTenantRows(ledger.db, filter, { limit: q.limit, cursor: q.cursor ?? null });
      return { items: await Promise.all(page.items.map(fromRow)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/tenants/:tenantId',
    {
      config: read,
      schema: {
        tags: ['tenants'],
        summary: 'One tenant; the ETag is its revision',
        params: tenantParams,
        response: withProblems({ 200: tenantSchema }),
      },
    },
    async (request, reply) => {
      assertTenantAccess(principalOf(request), request.params.tenantId, `tenant ${request.params.tenantId}`);
      const { state, revision } = await loadTenant(request.params.tenantId);
      reply.header('etag', etag(revision));
      return present(state, revision);
    },
  );

  app.post(
    '/api/v1/tenants',
    {
      config: write,
      schema: {
        tags: ['tenants'],
        summary: 'Register a tenant (its legal and billing identity)',
        body: z.strictObject({ tenantId: idSchema.optional(), details: registrationSchema }),
        response: withProblems({ 201: commandResultSchema.extend({ tenantId: z.string() }) }),
      },
    },
    async (request, reply) => {
      const at = now();
      // Derived from the Idempotency-Key, so a retried registration names the same tenant.
      const tenantId = request.body.tenantId ?? uuidV5(`tenant:${commandKey(request)}`);
      const result = await runCommand(
        ledger,
        request,
        tenantDecider,
        tenantStream(tenantId),
        { type: 'RegisterTenant', tenantId, details: request.body.details, now: at.toISOString() },
        at,
      );
      return reply.code(201).send({ ...result, tenantId });
    },
  );

  app.patch(
    '/api/v1/tenants/:tenantId',
    {
      config: write,
      schema: {
        tags: ['tenants'],
        summary: 'Change details; only the fields whose value changes are recorded',
        params: tenantParams,
        body: changesSchema,
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      await loadTenant(request.params.tenantId);
      return runCommand(
        ledger,
        request,
        tenantDecider,
        tenantStream(request.params.tenantId),
        {
          type: 'UpdateTenantDetails',
          tenantId: request.params.tenantId,
          changes: request.body as never,
          now: at.toISOString(),
        },
        at,
      );
    },
  );

  app.patch(
    '/api/v1/tenants/:tenantId/billing-contact',
    {
      config: { permission: 'tenants:contact', command: true },
      schema: {
        tags: ['tenants'],
        summary:
          'Change the billing contact (e-mail, phone, address), the part a tenant admin changes for its own tenant',
        params: tenantParams,
        body: billingContactSchema,
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      const { tenantId } = request.params;
      assertTenantAccess(principalOf(request), tenantId, `tenant ${tenantId}`);
      await loadTenant(tenantId);
      await assertRevisionMatches(ledger, request, tenantStream(tenantId));
      return commandResult(
        await changeBillingContact(
          { store: ledger.store },
          { tenantId, contact: request.body },
          commandContext(request, at),
        ),
      );
    },
  );

  const noteSchema = z.string().trim().min(1).max(1000).nullable().default(null);

  app.post(
    '/api/v1/tenants/:tenantId/suspend',
    {
      config: write,
      schema: {
        tags: ['tenants'],
        summary: 'Suspend the service; entitlements say no until reactivation',
        params: tenantParams,
        body: z.strictObject({ reason: z.enum(suspensionReasons), note: noteSchema }),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      await loadTenant(request.params.tenantId);
      return runCommand(
        ledger,
        request,
        tenantDecider,
        tenantStream(request.params.tenantId),
        { type: 'SuspendTenant', tenantId: request.params.tenantId, ...request.body, now: at.toISOString() },
        at,
      );
    },
  );

  app.post(
    '/api/v1/tenants/:tenantId/reactivate',
    {
      config: write,
      schema: {
        tags: ['tenants'],
        summary: 'Lift a suspension',
        params: tenantParams,
        body: z.strictObject({}).optional(),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      await loadTenant(request.params.tenantId);
      return runCommand(
        ledger,
        request,
        tenantDecider,
        tenantStream(request.params.tenantId),
        { type: 'ReactivateTenant', tenantId: request.params.tenantId, now: at.toISOString() },
        at,
      );
    },
  );

  app.post(
    '/api/v1/tenants/:tenantId/close',
    {
      config: write,
      schema: {
        tags: ['tenants'],
        summary: 'Close the account for good; nothing is deleted',
        params: tenantParams,
        body: z.strictObject({ reason: z.enum(closureReasons), note: noteSchema }),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      await loadTenant(request.params.tenantId);
      return runCommand(
        ledger,
        request,
        tenantDecider,
        tenantStream(request.params.tenantId),
        { type: 'CloseTenant', tenantId: request.params.tenantId, ...request.body, now: at.toISOString() },
        at,
      );
    },
  );
};
