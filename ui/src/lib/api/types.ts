/**
 * The shapes the UI reads from the API, kept in one file. They follow issue 6's routes; when
 * `api/` publishes its zod schemas as types, each alias here becomes an `import type` of the
 * matching `z.infer`, and the compiler shows every page a change touches. Amounts are strings of
 * minor units, legal dates `YYYY-MM-DD`, instants ISO 8601.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly tenantId: string | null;
  readonly name?: string;
}

export interface SignInResult {
  readonly user: SessionUser;
  readonly csrfToken: string;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly country?: string;
  readonly currency: string;
  readonly status?: string;
  readonly language?: string;
  readonly taxId?: string | null;
  readonly tradeRegister?: string | null;
  readonly address?: string | null;
  readonly city?: string | null;
  readonly phone?: string | null;
  readonly balanceMinor?: string;
  readonly mrrMinor?: string;
  readonly planName?: string | null;
  readonly riskBand?: string | null;
  readonly createdAt?: string;
}

export interface Subscription {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantName?: string;
  readonly planId: string;
  readonly planName?: string;
  readonly interval?: string;
  readonly status: string;
  readonly currency?: string;
  readonly priceMinor?: string;
  readonly mrrMinor?: string;
  readonly trialEndsOn?: string | null;
  readonly currentPeriodEnd?: string | null;
  readonly cancelAtPeriodEnd?: boolean;
}

export interface PlanVersion {
  readonly version: number;
  readonly monthlyPriceMinor?: string;
  readonly annualPriceMinor?: string;
  readonly currency?: string;
  readonly publishedAt?: string;
}

export interface Plan {
  readonly id: string;
  readonly name: string;
  readonly currency?: string;
  readonly monthlyPriceMinor?: string;
  readonly annualPriceMinor?: string;
  readonly currentVersion?: number;
  readonly versions?: PlanVersion[];
}

export interface ProrationPreview {
  readonly currency: string;
  readonly creditMinor: string;
  readonly chargeMinor: string;
  readonly amountDueMinor: string;
  readonly effectiveOn?: string;
}

export interface InvoiceLine {
  readonly description: string;
  readonly quantity?: string | number;
  readonly amountMinor: string;
  readonly taxMinor?: string;
}

export interface Invoice {
  readonly id: string;
  readonly number?: string | null;
  readonly tenantId: string;
  readonly tenantName?: string;
  readonly status: string;
  readonly currency: string;
  readonly totalMinor: string;
  readonly amountDueMinor: string;
  readonly subtotalMinor?: string;
  readonly taxMinor?: string;
  readonly issuedOn?: string | null;
  readonly dueOn?: string | null;
  readonly lines?: InvoiceLine[];
  readonly payments?: { id: string; amountMinor: string; appliedAt?: string; method?: string }[];
  readonly creditNotes?: { id: string; number?: string; amountMinor: string; issuedOn?: string }[];
}

export interface Payment {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantName?: string;
  readonly status: string;
  readonly currency: string;
  readonly amountMinor: string;
  readonly refundedMinor?: string;
  readonly method?: string;
  readonly provider?: string;
  readonly reference?: string | null;
  readonly receivedOn?: string | null;
  readonly createdAt?: string;
  readonly redirectUrl?: string | null;
}

export interface ActivityItem {
  readonly id?: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly summary?: string;
  readonly tenantId?: string | null;
  readonly tenantName?: string | null;
  readonly streamId?: string;
}

export interface DashboardMetrics {
  readonly currency: string;
  readonly mrrMinor: string;
  readonly arrMinor: string;
  readonly activeTenants: number;
  readonly trialingTenants?: number;
  readonly customerChurnRate: string | null;
  readonly overdueTotalMinor: string;
  readonly recentActivity?: ActivityItem[];
}

export interface RiskFactor {
  readonly factor: string;
  readonly points: number;
  readonly pointsMax: number;
  readonly observed: string | null;
  readonly explanation: string;
}

export interface OverdueTenant {
  readonly tenantId: string;
  readonly tenantName?: string;
  readonly currency: string;
  readonly overdueMinor: string;
  readonly daysPastDue?: number;
  readonly score: number;
  readonly band: string;
  readonly factors: RiskFactor[];
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly tenantId?: string | null;
  readonly createdAt?: string;
  readonly lockedUntil?: string | null;
}

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly tenantId?: string | null;
  readonly scopes?: string[];
  readonly createdAt?: string;
  readonly lastUsedAt?: string | null;
  readonly revokedAt?: string | null;
  /** Present once, in the answer to the creation. */
  readonly token?: string;
}
