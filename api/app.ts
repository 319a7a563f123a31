import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Ledger } from '../app/runtime.ts';
import { healthRoutes } from './routes/health.ts';

export interface AppOptions {
  readonly ledger: Ledger;
  /** Extra checks for /api/health (the projector adds its lag). */
  readonly healthChecks?: ReadonlyArray<HealthCheck>;
}

export interface HealthCheck {
  readonly name: string;
  check(): Promise<{ ok: boolean; detail?: Record<string, unknown> }>;
}

/**
 * Builds the Fastify application as a plugin tree; `scripts/serve.ts` only listens. Tests build it
 * and call `app.inject`.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.ledger.logger as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    requestIdHeader: 'x-request-id',
    disableRequestLogging: false,
  });
  await app.register(healthRoutes, { ledger: options.ledger, checks: options.healthChecks ?? [] });
  return app;
}
