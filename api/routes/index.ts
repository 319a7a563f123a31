import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../app.ts';
import { auditTrailRoutes } from './audit-trail/index.ts';
import { authRoutes } from './auth/index.ts';
import { invoiceRoutes } from './invoices/index.ts';
import { metricsRoutes } from './metrics/index.ts';
import { overdueRiskRoutes } from './overdue-risk/index.ts';
import { paymentRoutes } from './payments/index.ts';
import { planRoutes } from './plans/index.ts';
import { projectionRoutes } from './projections/index.ts';
import { receivableRoutes } from './receivables/index.ts';
import { sandboxRoutes } from './sandbox/index.ts';
import { subscriptionRoutes } from './subscriptions/index.ts';
import { tenantRoutes } from './tenants/index.ts';
import { tokenRoutes } from './tokens/index.ts';
import { userRoutes } from './users/index.ts';
import { webhookRoutes } from './webhooks/index.ts';

/**
 * Every resource's routes, one folder each. A new capability adds its folder and one line here;
 * `buildApp` registers them in this order with the ledger and the clock.
 */
export const resourceRoutes: ReadonlyArray<FastifyPluginAsyncZod<RouteOptions>> = [
  authRoutes,
  userRoutes,
  tokenRoutes,
  tenantRoutes,
  planRoutes,
  invoiceRoutes,
  paymentRoutes,
  webhookRoutes,
  subscriptionRoutes,
  metricsRoutes,
  overdueRiskRoutes,
  projectionRoutes,
  sandboxRoutes,
  receivableRoutes,
  auditTrailRoutes,
];
