import { paymentEventDefinitions } from '../payment/payment.ts';
import { catalogEventDefinitions } from '../catalog/plan.ts';
import { tenantEventDefinitions } from '../tenant/tenant.ts';
import { customerBalanceEventDefinitions } from '../customer-balance/customer-balance.ts';
import { invoiceEventDefinitions } from '../invoice/index.ts';
import { subscriptionEventDefinitions } from '../subscription/subscription.ts';
import { dunningEventDefinitions } from '../dunning/dunning.ts';
import { EventCatalog, type EventDefinition } from './catalog.ts';

/**
 * Every event type the ledger records. Each aggregate exports an array of its definitions; add it
 * here with one import and one spread (edit in place: several people add to this list).
 */
export const allEventDefinitions: ReadonlyArray<EventDefinition<string, unknown>> = [
  // (aggregates add their definitions here)
  ...invoiceEventDefinitions,
  ...customerBalanceEventDefinitions,
  ...catalogEventDefinitions,
  ...tenantEventDefinitions,
  ...subscriptionEventDefinitions,
  ...paymentEventDefinitions,
  ...dunningEventDefinitions,
];

export function ledgerCatalog(): EventCatalog {
  return new EventCatalog(allEventDefinitions);
}
