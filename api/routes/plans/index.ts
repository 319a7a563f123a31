import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type PlanState,
  planCodePattern,
  planDecider,
  planTermsSchema,
  termsFromJson,
  termsToJson,
} from '../../../domain/catalog/index.ts';
import type { RouteOptions } from '../../app.ts';
import { etag, runCommand } from '../../commands.ts';
import { notFound, withProblems } from '../../problems.ts';
import { commandResultSchema, decodeCursor, encodeCursor, pageOf, pageQuerySchema } from '../../schemas.ts';
import { loadAggregate, streamNamesWithPrefix } from '../../streams.ts';

const planStream = (planCode: string) => `plan-${planCode}`;
const planCodeSchema = z
  .string()
  .regex(planCodePattern, 'a lowercase code of 2 to 40 letters, digits, - or _');

const versionSchema = planTermsSchema.extend({ version: z.number().int(), publishedAt: z.string() });
const planSchema = z
  .object({
    planCode: z.string(),
    status: z.enum(['published', 'retired']),
    retiredAt: z.string().nullable(),
    revision: z.string(),
    latest: versionSchema,
    versions: z.array(versionSchema),
  })
  .meta({ id: 'Plan' });

function present(state: PlanState, revision: bigint) {
  if (state.status === 'unpublished') throw new Error('an unpublished plan has nothing to show');
  const versions = state.versions.map((v) => ({
    ...termsToJson(v),
    version: v.version,
    publishedAt: v.publishedAt,
  }));
  return {
    planCode: state.planCode,
    status: state.status,
    retiredAt: state.status === 'retired' ? state.retiredAt : null,
    revision: revision.toString(),
    latest: versions.at(-1)!,
    versions,
  };
}

const plansPageMax = 100;

/**
 * The plan catalog: publish a plan, publish a new version of its terms, retire it; list and read.
 * Every reader may see the catalog (a tenant admin chooses a plan from it).
 */
export const planRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  const read = { permission: 'plans:read' as const };
  const write = { permission: 'plans:write' as const, command: true };

  app.get(
    '/api/v1/plans',
    {
      config: read,
      schema: {
        tags: ['plans'],
        summary: 'List plans by code; filter by status, search in code and name',
        querystring: pageQuerySchema.extend({
          limit: z.coerce.number().int().min(1).max(plansPageMax).default(50),
          status: z.enum(['published', 'retired']).optional(),
          search: z.string().trim().min(1).max(100).optional(),
        }),
        response: withProblems({ 200: pageOf(planSchema) }),
      },
    },
    async (request) => {
      const { limit, status, search } = request.query;
      const after = decodeCursor(request.query.cursor, z.object({ after: planCodeSchema }));
      const codes = await streamNamesWithPrefix(ledger, 'plan-', after?.after ?? null, plansPageMax * 5);
      const items: ReturnType<typeof present>[] = [];
      let last: string | null = null;
      let more = false;
      for (const code of codes) {
        if (items.length === limit) {
          more = true;
          break;
        }
        last = code;
        const loaded = await loadAggregate(ledger, planDecider, planStream(code));
        if (loaded.state.status === 'unpublished' || loaded.revision === null) continue;
        const plan = present(loaded.state, loaded.revision);
        if (status !== undefined && plan.status !== status) continue;
        const needle = search?.toLowerCase();
        if (needle !== undefined && !`${plan.planCode} ${plan.latest.name}`.toLowerCase().includes(needle))
          continue;
        items.push(plan);
      }
      return { items, nextCursor: more && last !== null ? encodeCursor({ after: last }) : null };
    },
  );

  app.get(
    '/api/v1/plans/:planCode',
    {
      config: read,
      schema: {
        tags: ['plans'],
        summary: 'One plan with every version; the ETag is its revision',
        params: z.object({ planCode: planCodeSchema }),
        response: withProblems({ 200: planSchema }),
      },
    },
    async (request, reply) => {
      const loaded = await loadAggregate(ledger, planDecider, planStream(request.params.planCode));
      if (loaded.state.status === 'unpublished' || loaded.revision === null) {
        throw notFound(`plan ${request.params.planCode}`);
      }
      reply.header('etag', etag(loaded.revision));
      return present(loaded.state, loaded.revision);
    },
  );

  app.post(
    '/api/v1/plans',
    {
      config: write,
      schema: {
        tags: ['plans'],
        summary: 'Publish a new plan (version 1)',
        body: z.strictObject({ planCode: planCodeSchema, terms: planTermsSchema }),
        response: withProblems({ 201: commandResultSchema }),
      },
    },
    async (request, reply) => {
      const at = now();
      const result = await runCommand(
        ledger,
        request,
        planDecider,
        planStream(request.body.planCode),
        {
          type: 'PublishPlan',
          planCode: request.body.planCode,
          terms: termsFromJson(request.body.terms),
          now: at.toISOString(),
        },
        at,
      );
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/v1/plans/:planCode/versions',
    {
      config: write,
      schema: {
        tags: ['plans'],
        summary: 'Publish new terms; existing subscriptions keep the version they bought',
        params: z.object({ planCode: planCodeSchema }),
        body: z.strictObject({ terms: planTermsSchema }),
        response: withProblems({ 201: commandResultSchema }),
      },
    },
    async (request, reply) => {
      const at = now();
      const result = await runCommand(
        ledger,
        request,
        planDecider,
        planStream(request.params.planCode),
        {
          type: 'PublishPlanVersion',
          planCode: request.params.planCode,
          terms: termsFromJson(request.body.terms),
          now: at.toISOString(),
        },
        at,
      );
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/v1/plans/:planCode/retire',
    {
      config: write,
      schema: {
        tags: ['plans'],
        summary: 'Stop selling a plan; its subscriptions are untouched',
        params: z.object({ planCode: planCodeSchema }),
        body: z.strictObject({}).optional(),
        response: withProblems({ 200: commandResultSchema }),
      },
    },
    async (request) => {
      const at = now();
      return runCommand(
        ledger,
        request,
        planDecider,
        planStream(request.params.planCode),
        { type: 'RetirePlan', planCode: request.params.planCode, now: at.toISOString() },
        at,
      );
    },
  );
};
