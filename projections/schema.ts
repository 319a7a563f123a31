import type { AuditTrailTables } from './audit-trail/audit-trail.table.ts';
import type { CustomerBalancesTables } from './customer-balances/customer-balances.table.ts';
import type { DunningTables } from './dunning/dunning.table.ts';
import type { InvoicesTables } from './invoices/invoices.table.ts';
import type { MetricsTables } from './metrics/metrics.table.ts';
import type { OverdueRiskTables } from './overdue-risk/overdue-risk.table.ts';
import type { PaymentsTables } from './payments/payments.table.ts';
import type { PlansTables } from './plans/plans.table.ts';
import type { SubscriptionsTables } from './subscriptions/subscriptions.table.ts';
import type { TenantsTables } from './tenants/tenants.table.ts';

/**
 * Every read-model table, for `Kysely<ReadModels>` (`createKysely<ReadModels>(pool)`). Each query
 * function asks only for the tables it reads, so a `Kysely<ReadModels>` satisfies all of them.
 */
export type ReadModels = AuditTrailTables &
  TenantsTables &
  PlansTables &
  SubscriptionsTables &
  InvoicesTables &
  PaymentsTables &
  CustomerBalancesTables &
  MetricsTables &
  OverdueRiskTables &
  DunningTables;
