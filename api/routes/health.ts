import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ledger } from '../../app/runtime.ts';
import type { HealthCheck } from '../app.ts';

interface Options {
  readonly ledger: Ledger;
  readonly checks: ReadonlyArray<HealthCheck>;
}

const checkTimeoutMs = 2000;

async function timed(name: string, fn: () => Promise<{ ok: boolean; detail?: Record<string, unknown> }>) {
  const started = performance.now();
  try {
    const result = await Promise.race([
      fn(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${checkTimeoutMs} ms`)), checkTimeoutMs),
      ),
    ]);
    return { name, ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      ok: false,
      error: (error as Error).message,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

/** GET /api/health: the event store and the read-model database, 503 when either is down. */
const checkSchema = z.looseObject({
  ok: z.boolean(),
  latencyMs: z.number(),
  error: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), checkSchema),
});

export const healthRoutes: FastifyPluginAsyncZod<Options> = async (app, { ledger, checks }) => {
  const schema = {
    tags: ['system'],
    summary: 'Liveness and readiness: the event store, the read-model database and extra checks',
    response: { 200: healthSchema, 503: healthSchema },
  };
  app.get('/api/health', { schema, config: { public: true, rateLimit: false } }, async (_request, reply) => {
    const results = await Promise.all([
      timed('eventStore', async () => {
        await ledger.store.ping();
        return { ok: true, detail: { kind: ledger.store.kind } };
      }),
      timed('readModels', async () => {
        await ledger.pool.query('SELECT 1');
        return { ok: true, detail: { backend: ledger.pool.backend } };
      }),
      ...checks.map((c) => timed(c.name, () => c.check())),
    ]);
    const ok = results.every((r) => r.ok);
    return reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ok ? 'ok' : 'unavailable',
        checks: Object.fromEntries(results.map(({ name, ...r }) => [name, r])),
      });
  });
};
