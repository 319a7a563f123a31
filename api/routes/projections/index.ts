import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allProjections } from '../../../projections/index.ts';
import { projectionStatus } from '../../../projections/runtime/status.ts';
import type { RouteOptions } from '../../app.ts';
import { withProblems } from '../../problems.ts';

const statusSchema = z
  .looseObject({
    name: z.string(),
    status: z.enum(['running', 'failed', 'unregistered']),
    needsRebuild: z.boolean(),
    position: z.string(),
    headPosition: z.string(),
    eventsBehind: z.number(),
    eventsBehindCapped: z.boolean(),
    lagSeconds: z.number(),
    eventsProcessed: z.string(),
    error: z.looseObject({ message: z.string() }).nullable(),
  })
  .meta({ id: 'ProjectionStatus' });

/** Where each read model stands against the log: position, lag, lease, the error that stopped it. */
export const projectionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger }) => {
  app.get(
    '/api/v1/projections',
    {
      config: { permission: 'system:read' },
      schema: {
        tags: ['system'],
        summary: 'Status of every projection',
        response: withProblems({ 200: z.object({ items: z.array(statusSchema) }) }),
      },
    },
    async () => ({
      items: (await projectionStatus(ledger.pool, ledger.store, allProjections)).map((s) => ({ ...s })),
    }),
  );
};
