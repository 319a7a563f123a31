import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import helmet from 'helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { PaymentFlowDependencies } from '../app/payments/flow.ts';
import type { Fetch } from '../app/payments/port.ts';
import type { Ledger } from '../app/runtime.ts';
import { paymentFlowDependencies } from './payment-flow.ts';
import { installAuth } from './auth/plugin.ts';
import { principalId } from './auth/permissions.ts';
import { installErrorHandler, sendProblem } from './error-handler.ts';
import { installIdempotency } from './idempotency.ts';
import { ApiError } from './problems.ts';
import { healthRoutes } from './routes/health.ts';
import { resourceRoutes } from './routes/index.ts';

export interface AppOptions {
  readonly ledger: Ledger;
  /** Extra checks for /api/health (the projector adds its lag). */
  readonly healthChecks?: ReadonlyArray<HealthCheck>;
  /** The clock routes read; tests pass a fixed one. */
  readonly now?: () => Date;
  /** The `fetch` payment providers call; tests pass one bound to a local stub. */
  readonly fetch?: Fetch;
}

export interface HealthCheck {
  readonly name: string;
  check(): Promise<{ ok: boolean; detail?: Record<string, unknown> }>;
}

/** What every route plugin receives. */
export interface RouteOptions {
  readonly ledger: Ledger;
  readonly now: () => Date;
  readonly payments: PaymentFlowDependencies;
}

/**
 * The OpenAPI transform, plus who may call each operation: a public route says it needs no
 * security (`security: []`); any other names the one permission it needs as `x-permission` and in
 * a description line, so client authors, the docs page and the route-matrix test read it there.
 */
const withAccess: typeof jsonSchemaTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const config = input.route.config ?? {};
  if (transformed.schema === undefined || (transformed.schema as { hide?: boolean }).hide === true)
    return transformed;
  if (config.public === true) return { ...transformed, schema: { ...transformed.schema, security: [] } };
  if (config.permission === undefined) return transformed;
  const line = `Needs the \`${config.permission}\` permission.`;
  const description = transformed.schema.description;
  return {
    ...transformed,
    schema: {
      ...transformed.schema,
      description: description === undefined ? line : `${description}\n\n${line}`,
      'x-permission': config.permission,
    } as typeof transformed.schema,
  };
};

/** A request id a client may send (to trace a call end to end); anything else gets a fresh one. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Builds the Fastify application as a plugin tree; `scripts/serve.ts` only listens. Tests build it
 * and call `app.inject`.
 *
 * Order matters: the error handler first (so every plugin's errors become problems), then security
 * headers and CORS, then authentication (an `onRequest` hook), rate limits keyed by the caller it
 * found, the idempotency store, the OpenAPI document, and last the routes.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ledger } = options;
  const config = ledger.config;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: ledger.logger as FastifyBaseLogger,
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (raw) => {
      const sent = raw.headers['x-request-id'];
      return typeof sent === 'string' && requestIdPattern.test(sent) ? sent : randomUUID();
    },
    routerOptions: { maxParamLength: 300 },
    // URLs the router cannot read (bad encoding, a path parameter over the limit) get a problem
    // too, without echoing the URL back.
    frameworkErrors: (error, _request, reply) => {
      sendProblem(
        reply,
        'malformed_request',
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path part is too long' : 'the URL could not be read',
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  await app.register(fastifyCookie);
  // Security headers from helmet, configured once. @fastify/helmet rebuilt helmet's middleware
  // (parsing the CSP directives again) on every request: ~6 % of the invoice list's CPU.
  const securityHeaders = helmet({
    // The API answers JSON and PDFs; only the docs page loads scripts, from its own origin.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", 'https:', "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await app.register(fastifyCors, {
    origin: config.CORS_ORIGINS.length === 0 ? false : config.CORS_ORIGINS,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'idempotency-key',
      'if-match',
      'x-csrf-token',
      'x-request-id',
    ],
    exposedHeaders: ['etag', 'x-request-id', 'idempotent-replayed', 'retry-after', 'x-ratelimit-remaining'],
    maxAge: 600,
  });

  installAuth(app, ledger.db, now);
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preParsing',
    max: config.API_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      request.principal === null ? `ip:${request.ip}` : principalId(request.principal),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        'rate_limited',
        `at most ${context.max} requests per minute; retry after ${context.after}`,
      ),
  });
  installIdempotency(app, ledger.db);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SmartQueue Ledger API',
        version: '1.0.0',
        description:
          'Commands and queries of the billing ledger. Errors are RFC 9457 problem details (application/problem+json).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (lgr_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'ledger_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: withAccess,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { public: true } },
    async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()),
  );

  await app.register(healthRoutes, { ledger, checks: options.healthChecks ?? [] });
  const payments = paymentFlowDependencies(ledger, {
    now,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  for (const routes of resourceRoutes) await app.register(routes, { ledger, now, payments });
  return app;
}
