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

/** Money as the API writes it: a string of minor units and the ISO 4217 code. */
export interface Money {
  readonly amountMinor: string;
  readonly currency: string;
}

/** What the API says after every command: the events' log position, for read-your-writes. */
export interface CommandResult {
  readonly position: string | null;
  readonly revision: string | null;
  readonly replayed: boolean;
  readonly events: { type: string }[];
}

export interface SessionUser {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly tenantId: string | null;
}

export interface SignInResult {
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** `GET /api/v1/auth/me`. */
export interface Me {
  readonly kind: 'user' | 'token';
  readonly userId: string | null;
  readonly role: string | null;
  readonly tenantId: string | null;
  readonly permissions: string[];
  readonly csrfToken: string | null;
}

export interface Address {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly postalCode: string | null;
}

export interface TenantDetails {
  readonly legalName: string;
  readonly taxId: string;
  readonly tradeRegisterNumber: string;
  readonly address: Address;
  readonly country: string;
  readonly billingCurrency: string;
  readonly billingEmail: string;
  readonly billingPhone: string;
  readonly timeZone: string;
  readonly taxExempt: boolean;
  readonly taxExemptionNote: string | null;
  readonly paymentTermsDays: number;
  readonly preferredLanguage: 'fr' | 'en';
}

/** `GET /api/v1/tenants/:tenantId`. */
export interface Tenant {
  readonly tenantId: string;
  readonly status: 'active' | 'suspended' | 'closed';
  readonly revision: string;
  readonly registeredAt: string;
  readonly details: TenantDetails;
}

export interface PlanTerms {
  readonly name: string;
  readonly trialDays: number;
  readonly pricing: { kind: 'list'; prices: { interval: string; price: Money }[] } | { kind: 'negotiated' };
  readonly meters: unknown[];
}

export interface PlanVersion extends PlanTerms {
  readonly version: number;
  readonly publishedAt: string;
}

/** `GET /api/v1/plans/:planCode`. */
export interface Plan {
  readonly planCode: string;
  readonly status: 'published' | 'retired';
  readonly retiredAt: string | null;
  readonly revision: string;
  readonly latest: PlanVersion;
  readonly versions: PlanVersion[];
}

/*
 * The shapes below are for routes the API has not published yet (subscriptions, invoices,
 * metrics, overdue risk). They follow the published ones' conventions (ids named `<thing>Id`,
 * money as `Money`, pages as `{ items, nextCursor }`) and will be checked against the real
 * schemas as those land.
 */
/** `GET /api/v1/subscriptions` rows (the read model; extra fields pass through). */
export interface Subscription {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly status: string;
  readonly planCode: string;
  readonly planVersion: number;
  readonly billingInterval: string;
  readonly currency: string;
  readonly priceMinor: string;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  readonly trialEndsOn?: string | null;
  readonly cancellationEffectiveOn?: string | null;
}

/** `GET /api/v1/invoices` rows. */
export interface InvoiceRow {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly status: string;
  readonly number: string | null;
  readonly currency: string;
  readonly issuedOn: string | null;
  readonly dueOn: string | null;
  readonly totalMinor: string | null;
  readonly amountDueMinor: string;
}

/** `GET /api/v1/payments` rows. */
export interface PaymentRow {
  readonly paymentId: string;
  readonly tenantId: string;
  readonly provider: string;
  readonly status: string;
  readonly currency: string;
  readonly expectedMinor: string;
  readonly paidMinor: string;
}

/** `GET /api/v1/metrics/mrr`. */
export interface MrrFigure {
  readonly asOf: string;
  readonly mrrMinor: string;
  readonly arrMinor: string;
  readonly payingTenants: number;
}

/** `POST /api/v1/subscriptions/:id/plan-change/preview`: what the change would do, committing nothing. */
export interface ProrationPreview {
  readonly direction: string;
  readonly timing: 'immediately' | 'at_period_end';
  readonly effectiveOn: string;
  /** Null when nothing is prorated: during a trial, or when the change waits for the period end. */
  readonly proration: {
    readonly credit: Money;
    readonly charge: Money;
    /** The charge less the credit, before tax: what the change invoice bills. */
    readonly net: Money;
    readonly remainingDays: number;
    readonly periodDays: number;
  } | null;
}

export interface InvoiceLine {
  readonly lineId: string;
  readonly kind: string;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: Money;
  readonly amount: Money;
  readonly period: { from: string; to: string } | null;
}

export interface CreditNote {
  readonly creditNoteId: string;
  readonly number: string;
  readonly issuedOn: string;
  readonly reason: string;
  readonly net: Money;
  readonly tax: Money;
  readonly total: Money;
}

/** `GET /api/v1/invoices/:invoiceId`; totals are null while the invoice is a draft. */
export interface Invoice {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly status: string;
  readonly currency: string;
  readonly number: string | null;
  readonly issuedOn: string | null;
  readonly dueOn: string | null;
  readonly lines: InvoiceLine[];
  readonly taxRatePercent: string | null;
  readonly subtotal: Money | null;
  readonly tax: Money | null;
  readonly total: Money | null;
  readonly amountDue: Money | null;
  readonly paid: Money | null;
  readonly creditNotes: CreditNote[];
  readonly revision: string;
}

/** `POST /api/v1/payments` (an online payment). */
export interface InitiatedPayment {
  readonly paymentId: string;
  readonly paymentUrl: string | null;
  readonly providerSessionId: string;
  readonly isSandbox: boolean;
  readonly position: string | null;
}

/** `GET /api/v1/payments/:paymentId`. */
export interface Payment {
  readonly paymentId: string;
  readonly tenantId: string;
  readonly status: 'pending' | 'failed' | 'flagged' | 'succeeded' | 'refunded';
  readonly provider: string;
  readonly manualMethod: string | null;
  readonly invoiceIds: string[];
  readonly expected: Money;
  readonly paid: Money | null;
  readonly refunded: Money | null;
  readonly paymentUrl: string | null;
  readonly revision: string;
}

export interface RiskFactor {
  readonly factor: string;
  readonly points: number;
  readonly pointsMax: number;
  readonly observed: string | null;
  readonly explanation: string;
}

/** A promise to pay as the overdue list shows it; its status is read on the day asked. */
export interface PaymentPromise {
  readonly invoiceId: string;
  readonly currency: string;
  readonly promisedOn: string;
  readonly amountMinor: string;
  readonly paidSinceMinor: string;
  readonly amountDueMinor: string;
  readonly note: string | null;
  readonly recordedOn: string;
  readonly recordedBy: { readonly kind: string; readonly id: string };
  readonly status: 'active' | 'kept' | 'broken';
}

export interface OverdueInvoice {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly currency: string;
  readonly dueOn: string;
  readonly amountDueMinor: string;
  readonly promise: PaymentPromise | null;
}

/** What dunning did for a tenant: its overdue invoices, its latest promise and reminder. */
export interface TenantDunning {
  readonly overdueInvoices: OverdueInvoice[];
  readonly promise: PaymentPromise | null;
  readonly lastReminder: {
    readonly invoiceId: string;
    readonly trigger: 'schedule' | 'operator';
    readonly channel: string;
    readonly sentOn: string;
    readonly sentBy: { readonly kind: string; readonly id: string } | null;
  } | null;
}

/** `GET /api/v1/overdue-risk` rows. */
export interface OverdueRisk {
  readonly tenantId: string;
  readonly asOf: string;
  readonly currency: string;
  readonly amountDueMinor: string;
  readonly score: number;
  readonly band: string;
  readonly factors: RiskFactor[];
  readonly dunning: TenantDunning;
}

/** `GET /api/v1/tenants/:id/balance`: what a tenant owes and what we owe it. */
export interface CustomerBalance {
  readonly tenantId: string;
  readonly currency: string;
  readonly receivableMinor: string;
  readonly creditBalanceMinor: string;
  readonly openInvoices: number;
  readonly oldestDueOn: string | null;
}

/** `GET /api/v1/audit-trail` rows: one event, who caused it and when it happened. */
export interface AuditTrailEntry {
  readonly position: string;
  readonly streamName: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly actorKind: string;
  readonly actorId: string;
}

/** `GET /api/v1/users`. */
export interface User {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly tenantId: string | null;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

/** `GET /api/v1/tokens`; `token` only in the answer to the creation. */
export interface ApiToken {
  readonly tokenId: string;
  readonly name: string;
  readonly tenantId: string;
  readonly permissions: string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly token?: string;
}
