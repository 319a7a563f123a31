import { z } from 'zod';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import { fromMoneyJson, type Money, moneySchema } from '../money/index.ts';
import { add, isZero, subtract, zero } from '../money/money.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';

/**
 * The payment aggregate: one stream per payment (`payment-<paymentId>`), from the moment a provider
 * session is opened (or an accountant records money received by hand) until it is fully refunded.
 *
 * A payment is money received once. Allocating it to invoices is the invoice aggregate's business
 * (ApplyPayment); this stream only remembers what the provider said, what we expected, and what
 * was given back.
 */

/** The limits every payment respects, named so a reader sees them. */
export const invoiceIdsPerPaymentMax = 100;
export const refundsPerPaymentMax = 50;
const idLengthMax = 200;

/** Online providers we open sessions with. `sandbox` moves no real money: it exists for demos. */
export const onlineProviders = ['wave', 'orange_money', 'free_money', 'sandbox'] as const;
export type OnlineProvider = (typeof onlineProviders)[number];

/** Money received outside any provider and typed in by an accountant. */
export const manualPaymentMethods = ['bank_transfer', 'cash', 'cheque'] as const;
export type ManualPaymentMethod = (typeof manualPaymentMethods)[number];

const id = z.string().min(1).max(idLengthMax);
const instant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();
const positiveMoney = moneySchema.refine((m) => /^[1-9]/.test(m.amountMinor), {
  message: 'must be positive',
  path: ['amountMinor'],
});

export const paymentInitiatedSchema = z.object({
  paymentId: id,
  tenantId: id,
  provider: z.enum(onlineProviders),
  invoiceIds: z.array(id).min(1).max(invoiceIdsPerPaymentMax),
  amount: positiveMoney,
  /** The provider's handle on the session: Wave `cos-…`, Orange Money `pay_token`, PayTech `token`. */
  providerSessionId: id,
  /** What we sent the provider as our reference (Wave `client_reference`, OM `order_id`, PayTech `ref_command`). */
  clientReference: id,
  /**
   * SHA-256 (hex) of Orange Money's `notif_token`. We keep a hash, not the token: the token is the
   * only thing that authenticates an Orange notification, so the log must not hand it out.
   */
  notifTokenSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** Where the payer is sent to pay, kept for the portal's "pay again" link. */
  paymentUrl: z.url().max(2000).nullable(),
  initiatedAt: instant,
});

export const paymentSucceededSchema = z.object({
  paymentId: id,
  tenantId: id,
  amount: positiveMoney,
  providerTransactionId: id.nullable(),
  succeededAt: instant,
});

export const paymentFailedSchema = z.object({
  paymentId: id,
  tenantId: id,
  /** The provider's code, e.g. Wave's `insufficient-funds`, or ours (`expired`, `provider_failed`). */
  failureCode: z.string().min(1).max(100),
  failureMessage: z.string().max(1000),
  failedAt: instant,
});

export const paymentFlaggedForReviewSchema = z.object({
  paymentId: id,
  tenantId: id,
  reason: z.enum(['amount_mismatch', 'currency_mismatch']),
  expectedAmount: positiveMoney,
  /** What the provider says it collected. Not booked: a person decides. */
  receivedAmount: moneySchema,
  providerTransactionId: id.nullable(),
  flaggedAt: instant,
});

export const paymentRefundedSchema = z.object({
  paymentId: id,
  tenantId: id,
  refundId: id,
  amount: positiveMoney,
  /** `full` when this refund brings the refunded total to the amount paid. */
  kind: z.enum(['full', 'partial']),
  creditNoteId: id.nullable(),
  /**
   * True when the money went back by hand (a Mobile Money transfer from the operator's phone),
   * not through a provider API: the accountant needs to know no provider record will show it.
   */
  manual: z.boolean(),
  reason: z.string().max(1000),
  refundedAt: instant,
});

export const manualPaymentRecordedSchema = z.object({
  paymentId: id,
  tenantId: id,
  method: z.enum(manualPaymentMethods),
  /** Bank transfer reference, cheque number, receipt number. */
  reference: z.string().min(1).max(idLengthMax),
  /** The calendar day the money was received, in the tenant's time zone. */
  receivedOn: calendarDate,
  amount: positiveMoney,
  /** Invoices the accountant named; empty means "oldest first". */
  invoiceIds: z.array(id).max(invoiceIdsPerPaymentMax),
  recordedAt: instant,
});

/**
 * How a received payment is split between invoices and the tenant's credit, decided once so that
 * every retry of the allocation follows the same plan (see docs/payments.md). An invoice may end up
 * taking less than planned if another payment settled it first; the invoice aggregate reports that
 * excess and it joins the credit.
 */
export const paymentAllocatedSchema = z.object({
  paymentId: id,
  tenantId: id,
  allocations: z.array(z.object({ invoiceId: id, amount: positiveMoney })).max(invoiceIdsPerPaymentMax * 10),
  credit: moneySchema,
  allocatedAt: instant,
});

export const paymentEventDefinitions = [
  defineEvent({ type: 'PaymentInitiated', version: 1, schema: paymentInitiatedSchema }),
  defineEvent({ type: 'PaymentSucceeded', version: 1, schema: paymentSucceededSchema }),
  defineEvent({ type: 'PaymentFailed', version: 1, schema: paymentFailedSchema }),
  defineEvent({ type: 'PaymentFlaggedForReview', version: 1, schema: paymentFlaggedForReviewSchema }),
  defineEvent({ type: 'PaymentRefunded', version: 1, schema: paymentRefundedSchema }),
  defineEvent({ type: 'ManualPaymentRecorded', version: 1, schema: manualPaymentRecordedSchema }),
  defineEvent({ type: 'PaymentAllocated', version: 1, schema: paymentAllocatedSchema }),
] as const;

export type PaymentEvent = EventOf<(typeof paymentEventDefinitions)[number]>;
export type PaymentInitiated = Extract<PaymentEvent, { type: 'PaymentInitiated' }>;
export type PaymentSucceeded = Extract<PaymentEvent, { type: 'PaymentSucceeded' }>;
export type PaymentFailed = Extract<PaymentEvent, { type: 'PaymentFailed' }>;
export type PaymentFlaggedForReview = Extract<PaymentEvent, { type: 'PaymentFlaggedForReview' }>;
export type PaymentRefunded = Extract<PaymentEvent, { type: 'PaymentRefunded' }>;
export type ManualPaymentRecorded = Extract<PaymentEvent, { type: 'ManualPaymentRecorded' }>;
export type PaymentAllocated = Extract<PaymentEvent, { type: 'PaymentAllocated' }>;

export function paymentStreamName(paymentId: string): string {
  return `payment-${paymentId}`;
}

/** What every payment past `none` knows about itself. */
export interface PaymentCore {
  readonly paymentId: string;
  readonly tenantId: string;
  readonly provider: OnlineProvider | 'manual';
  readonly manualMethod: ManualPaymentMethod | null;
  readonly invoiceIds: readonly string[];
  /** The amount asked for (online) or typed in (manual). */
  readonly expected: Money;
  readonly providerSessionId: string | null;
  readonly clientReference: string | null;
  readonly notifTokenSha256: string | null;
  readonly paymentUrl: string | null;
}

export interface AllocationPlan {
  readonly allocations: ReadonlyArray<{ readonly invoiceId: string; readonly amount: Money }>;
  readonly credit: Money;
}

export interface Settlement {
  readonly paid: Money;
  readonly providerTransactionId: string | null;
  readonly refunded: Money;
  readonly refundIds: readonly string[];
  /** Null until the allocation is decided. */
  readonly allocation: AllocationPlan | null;
}

export type PaymentState =
  | { readonly status: 'none' }
  | { readonly status: 'pending'; readonly core: PaymentCore; readonly lastFailureCode: string | null }
  | { readonly status: 'failed'; readonly core: PaymentCore; readonly failureCode: string }
  | {
      readonly status: 'flagged';
      readonly core: PaymentCore;
      readonly reason: 'amount_mismatch' | 'currency_mismatch';
      readonly received: Money;
      readonly providerTransactionId: string | null;
    }
  | { readonly status: 'succeeded'; readonly core: PaymentCore; readonly settlement: Settlement }
  | { readonly status: 'refunded'; readonly core: PaymentCore; readonly settlement: Settlement };

export type PaymentStatus = PaymentState['status'];

export function initialPaymentState(): PaymentState {
  return { status: 'none' };
}

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentInitiated': {
      const data = event.data;
      return {
        status: 'pending',
        lastFailureCode: null,
        core: {
          paymentId: data.paymentId,
          tenantId: data.tenantId,
          provider: data.provider,
          manualMethod: null,
          invoiceIds: data.invoiceIds,
          expected: fromMoneyJson(data.amount),
          providerSessionId: data.providerSessionId,
          clientReference: data.clientReference,
          notifTokenSha256: data.notifTokenSha256,
          paymentUrl: data.paymentUrl,
        },
      };
    }
    case 'ManualPaymentRecorded': {
      const data = event.data;
      const amount = fromMoneyJson(data.amount);
      return {
        status: 'succeeded',
        core: {
          paymentId: data.paymentId,
          tenantId: data.tenantId,
          provider: 'manual',
          manualMethod: data.method,
          invoiceIds: data.invoiceIds,
          expected: amount,
          providerSessionId: null,
          clientReference: data.reference,
          notifTokenSha256: null,
          paymentUrl: null,
        },
        settlement: {
          paid: amount,
          providerTransactionId: null,
          refunded: zero(amount.currency),
          refundIds: [],
          allocation: null,
        },
      };
    }
    case 'PaymentSucceeded': {
      const core = coreOf(state, event.type);
      const paid = fromMoneyJson(event.data.amount);
      return {
        status: 'succeeded',
        core,
        settlement: {
          paid,
          providerTransactionId: event.data.providerTransactionId,
          refunded: zero(paid.currency),
          refundIds: [],
          allocation: null,
        },
      };
    }
    case 'PaymentFailed': {
      const core = coreOf(state, event.type);
      return { status: 'failed', core, failureCode: event.data.failureCode };
    }
    case 'PaymentFlaggedForReview': {
      const core = coreOf(state, event.type);
      return {
        status: 'flagged',
        core,
        reason: event.data.reason,
        received: fromMoneyJson(event.data.receivedAmount),
        providerTransactionId: event.data.providerTransactionId,
      };
    }
    case 'PaymentRefunded': {
      if (state.status !== 'succeeded') {
        throw new InvariantViolation(`PaymentRefunded on a payment in status ${state.status}`);
      }
      const refunded = add(state.settlement.refunded, fromMoneyJson(event.data.amount));
      const settlement: Settlement = {
        ...state.settlement,
        refunded,
        refundIds: [...state.settlement.refundIds, event.data.refundId],
      };
      const fully = refunded.amountMinor === state.settlement.paid.amountMinor;
      return { status: fully ? 'refunded' : 'succeeded', core: state.core, settlement };
    }
    case 'PaymentAllocated': {
      if (state.status !== 'succeeded' && state.status !== 'refunded') {
        throw new InvariantViolation(`PaymentAllocated on a payment in status ${state.status}`);
      }
      const allocation: AllocationPlan = {
        allocations: event.data.allocations.map((a) => ({
          invoiceId: a.invoiceId,
          amount: fromMoneyJson(a.amount),
        })),
        credit: fromMoneyJson(event.data.credit),
      };
      return { ...state, settlement: { ...state.settlement, allocation } };
    }
    default:
      return assertNever(event, 'payment event');
  }
}

function coreOf(state: PaymentState, eventType: string): PaymentCore {
  if (state.status === 'none') throw new InvariantViolation(`${eventType} on a payment that does not exist`);
  return state.core;
}

/** What is left to refund on a settled payment. */
export function refundable(settlement: Settlement): Money {
  return subtract(settlement.paid, settlement.refunded);
}

export function isFullyRefunded(settlement: Settlement): boolean {
  return isZero(refundable(settlement));
}
