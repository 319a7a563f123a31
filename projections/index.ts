import { auditTrailProjection } from './audit-trail/audit-trail.projection.ts';
import { customerBalancesProjection } from './customer-balances/customer-balances.projection.ts';
import { dunningProjection } from './dunning/dunning.projection.ts';
import { invoicesProjection } from './invoices/invoices.projection.ts';
import { metricsProjection } from './metrics/metrics.projection.ts';
import { overdueRiskProjection } from './overdue-risk/overdue-risk.projection.ts';
import { paymentsProjection } from './payments/payments.projection.ts';
import { plansProjection } from './plans/plans.projection.ts';
import type { Projection } from './runtime/projection.ts';
import { subscriptionsProjection } from './subscriptions/subscriptions.projection.ts';
import { tenantsProjection } from './tenants/tenants.projection.ts';

/** Every read model the projector runs, by name. Add a projection here with one line. */
export const allProjections: readonly Projection[] = [
  auditTrailProjection,
  tenantsProjection,
  plansProjection,
  invoicesProjection,
  paymentsProjection,
  customerBalancesProjection,
  subscriptionsProjection,
  metricsProjection(),
  overdueRiskProjection,
  dunningProjection,
];

export function projectionsNamed(names: readonly string[]): Projection[] {
  if (names.length === 0) return [...allProjections];
  return names.map((name) => {
    const projection = allProjections.find((p) => p.name === name);
    if (projection === undefined) {
      throw new Error(`no projection named ${name} (known: ${allProjections.map((p) => p.name).join(', ')})`);
    }
    return projection;
  });
}
