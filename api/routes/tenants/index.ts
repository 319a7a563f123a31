import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addressSchema,
  closureReasons,
  preferredLanguages,
  suspensionReasons,
  type TenantState,
  tenantDecider,
  tenantDetailsSchema,
} from '../../../domain/tenant/index.ts';
import { uuidV5 } from '../../../eventstore/ids.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { assertTenantAccess, boundTenant } from '../../auth/tenant-guard.ts';
import { etag, runCommand } from '../../commands.ts';
import { commandKey } from '../../idempotency.ts';
import { notFound, withProblems } from '../../problems.ts';
import {
  commandResultSchema,
  decodeCursor,
  encodeCursor,
  idSchema,
  pageOf,
  pageQuerySchema,
} from '../../schemas.ts';
import { loadAggregate, streamNamesWithPrefix } from '../../streams.ts';

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
const tenantsScannedPerPageMax = 1000;

/**
 * Tenants: register, update details, suspend, reactivate, close; list and read. A tenant-scoped
 * caller sees its own tenant only.
 */
export const tenantRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const read = { permission: 'tenants:read' as const };
  const write = { permission: 'tenants:write' as const, command: true };

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
        summary: 'List tenants by id; filter by status, search in name, tax id and e-mail',
        querystring: pageQuerySchema.extend({
          status: z.enum(tenantStatuses).optional(),
          search: z.string().trim().min(1).max(100).optional(),
          country: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .optional(),
        }),
        response: withProblems({ 200: pageOf(tenantSchema) }),
      },
    },
    async (request) => {
      const { limit, status, search, country } = request.query;
      const bound = boundTenant(principalOf(request));
      const after = decodeCursor(request.query.cursor, z.object({ after: idSchema }));
      const ids =
        bound !== null
          ? after === null
            ? [bound]
            : []
          : await streamNamesWithPrefix(ledger, 'tenant-', after?.after ?? null, tenantsScannedPerPageMax);
      const items: ReturnType<typeof present>[] = [];
      let last: string | null = null;
      let more = false;
      for (const id of ids) {
        if (items.length === limit) {
          more = true;
          break;
        }
        last = id;
        const loaded = await loadAggregate(ledger, tenantDecider, tenantStream(id));
        if (loaded.state.status === 'unregistered' || loaded.revision === null) continue;
        const tenant = present(loaded.state, loaded.revision);
        if (status !== undefined && tenant.status !== status) continue;
        if (country !== undefined && tenant.details.country !== country) continue;
        const needle = search?.toLowerCase();
        const haystack = `${tenant.details.legalName} ${tenant.details.taxId} ${tenant.details.billingEmail}`;
        if (needle !== undefined && !haystack.toLowerCase().includes(needle)) continue;
        items.push(tenant);
      }
      const scannedAll = ids.length < tenantsScannedPerPageMax;
      return {
        items,
        nextCursor: (more || !scannedAll) && last !== null ? encodeCursor({ after: last }) : null,
      };
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
