import { equals, isPositive, type Money, toMoneyJson } from '../money/index.ts';
import {
  accept,
  assertNever,
  type Decider,
  type Decision,
  InvariantViolation,
  refuse,
} from '../shared/decider.ts';
import {
  evolvePayment,
  initialPaymentState,
  invoiceIdsPerPaymentMax,
  type ManualPaymentMethod,
  type OnlineProvider,
  type PaymentEvent,
  type PaymentState,
  refundable,
  refundsPerPaymentMax,
} from './payment.ts';

/**
 * Commands on a payment. Time, ids and the provider's answers come in with the command: `decide`
 * reads no clock and calls no provider.
 */
export type PaymentCommand =
  | {
      readonly type: 'InitiatePayment';
      readonly data: {
        readonly paymentId: string;
        readonly tenantId: string;
        readonly provider: OnlineProvider;
        readonly invoiceIds: readonly string[];
        readonly amount: Money;
        readonly providerSessionId: string;
        readonly clientReference: string;
        readonly notifTokenSha256: string | null;
        readonly paymentUrl: string | null;
        readonly initiatedAt: string;
      };
    }
  | {
      /** The provider confirmed money was collected; `amount` is what it says it collected. */
      readonly type: 'RecordPaymentSuccess';
      readonly data: {
        readonly paymentId: string;
        readonly amount: Money;
        readonly providerTransactionId: string | null;
        readonly succeededAt: string;
      };
    }
  | {
      readonly type: 'RecordPaymentFailure';
      readonly data: {
        readonly paymentId: string;
        readonly failureCode: string;
        readonly failureMessage: string;
        readonly failedAt: string;
      };
    }
  | {
      readonly type: 'RecordManualPayment';
      readonly data: {
        readonly paymentId: string;
        readonly tenantId: string;
        readonly method: ManualPaymentMethod;
        readonly reference: string;
        readonly receivedOn: string;
        readonly amount: Money;
        readonly invoiceIds: readonly string[];
        readonly recordedAt: string;
      };
    }
  | {
      /**
       * A person accepts, for a payment held for review, the amount the provider actually collected:
       * it becomes the payment's amount and is allocated like any other. Money in another currency
       * cannot be accepted this way; it is refunded.
       */
      readonly type: 'AcceptReceivedAmount';
      readonly data: { readonly paymentId: string; readonly acceptedAt: string };
    }
  | {
      /** The plan from `allocatePayment` (allocation.ts), computed by the caller from fresh invoices. */
      readonly type: 'AllocatePayment';
      readonly data: {
        readonly paymentId: string;
        readonly allocations: ReadonlyArray<{ readonly invoiceId: string; readonly amount: Money }>;
        readonly credit: Money;
        readonly allocatedAt: string;
      };
    }
  | {
      readonly type: 'RefundPayment';
      readonly data: {
        readonly paymentId: string;
        readonly refundId: string;
        readonly amount: Money;
        readonly creditNoteId: string | null;
        readonly manual: boolean;
        readonly reason: string;
        readonly refundedAt: string;
      };
    };

/**
 * Every refusal, in the order the checks run. A command checks only the rules that concern it, but
 * always in this order, so one input always gets the same refusal.
 */
export const paymentRefusalCodes = [
  'payment_already_exists',
  'payment_not_found',
  'payment_not_under_review',
  'review_currency_mismatch',
  'amount_not_positive',
  'invoice_ids_missing',
  'invoice_ids_invalid',
  'payment_under_review',
  'payment_already_succeeded',
  'payment_not_succeeded',
  'payment_fully_refunded',
  'refund_currency_mismatch',
  'refund_exceeds_paid',
  'refunds_limit_reached',
] as const;
export type PaymentRefusalCode = (typeof paymentRefusalCodes)[number];

type PaymentDecision = Decision<PaymentEvent, PaymentRefusalCode>;

export function decidePayment(command: PaymentCommand, state: PaymentState): PaymentDecision {
  switch (command.type) {
    case 'InitiatePayment':
      return initiate(command.data, state);
    case 'RecordManualPayment':
      return recordManual(command.data, state);
    case 'RecordPaymentSuccess':
      return recordSuccess(command.data, state);
    case 'RecordPaymentFailure':
      return recordFailure(command.data, state);
    case 'RefundPayment':
      return refund(command.data, state);
    case 'AllocatePayment':
      return allocate(command.data, state);
    case 'AcceptReceivedAmount':
      return acceptReceived(command.data, state);
    default:
      return assertNever(command, 'payment command');
  }
}

function initiate(
  data: Extract<PaymentCommand, { type: 'InitiatePayment' }>['data'],
  state: PaymentState,
): PaymentDecision {
  if (state.status !== 'none') {
    // A retried initiation (same session) is not an error: it already happened.
    if (state.status === 'pending' && state.core.providerSessionId === data.providerSessionId)
      return accept();
    return refuse('payment_already_exists', `payment ${data.paymentId} already exists`, 'paymentId');
  }
  if (!isPositive(data.amount)) return refuse('amount_not_positive', 'a payment must be positive', 'amount');
  if (data.invoiceIds.length === 0) {
    return refuse('invoice_ids_missing', 'an online payment pays at least one invoice', 'invoiceIds');
  }
  const invoiceIdsProblem = checkInvoiceIds(data.invoiceIds);
  if (invoiceIdsProblem !== null) return refuse('invoice_ids_invalid', invoiceIdsProblem, 'invoiceIds');
  return accept({
    type: 'PaymentInitiated',
    data: {
      paymentId: data.paymentId,
      tenantId: data.tenantId,
      provider: data.provider,
      invoiceIds: [...data.invoiceIds],
      amount: toMoneyJson(data.amount),
      providerSessionId: data.providerSessionId,
      clientReference: data.clientReference,
      notifTokenSha256: data.notifTokenSha256,
      paymentUrl: data.paymentUrl,
      initiatedAt: data.initiatedAt,
    },
  });
}

function recordManual(
  data: Extract<PaymentCommand, { type: 'RecordManualPayment' }>['data'],
  state: PaymentState,
): PaymentDecision {
  if (state.status !== 'none') {
    const same =
      state.core.provider === 'manual' &&
      state.core.clientReference === data.reference &&
      equals(state.core.expected, data.amount);
    if (same) return accept();
    return refuse('payment_already_exists', `payment ${data.paymentId} already exists`, 'paymentId');
  }
  if (!isPositive(data.amount)) return refuse('amount_not_positive', 'a payment must be positive', 'amount');
  const invoiceIdsProblem = checkInvoiceIds(data.invoiceIds);
  if (invoiceIdsProblem !== null) return refuse('invoice_ids_invalid', invoiceIdsProblem, 'invoiceIds');
  return accept({
    type: 'ManualPaymentRecorded',
    data: {
      paymentId: data.paymentId,
      tenantId: data.tenantId,
      method: data.method,
      reference: data.reference,
      receivedOn: data.receivedOn,
      amount: toMoneyJson(data.amount),
      invoiceIds: [...data.invoiceIds],
      recordedAt: data.recordedAt,
    },
  });
}

function recordSuccess(
  data: Extract<PaymentCommand, { type: 'RecordPaymentSuccess' }>['data'],
  state: PaymentState,
): PaymentDecision {
  switch (state.status) {
    case 'none':
      return refuse('payment_not_found', `payment ${data.paymentId} does not exist`, 'paymentId');
    case 'flagged':
      // The same notification again changes nothing; anything else waits for a person.
      if (state.providerTransactionId === data.providerTransactionId) return accept();
      return refuse('payment_under_review', 'the payment is held for review', 'paymentId');
    case 'succeeded':
    case 'refunded':
      if (state.settlement.providerTransactionId === data.providerTransactionId) return accept();
      return refuse(
        'payment_already_succeeded',
        `payment ${data.paymentId} already succeeded with another transaction`,
        'providerTransactionId',
      );
    case 'pending':
    case 'failed': {
      // Wave keeps a session open after a failed attempt, so a success may follow a failure.
      const { core } = state;
      if (!equals(core.expected, data.amount)) {
        return accept({
          type: 'PaymentFlaggedForReview',
          data: {
            paymentId: core.paymentId,
            tenantId: core.tenantId,
            reason: core.expected.currency === data.amount.currency ? 'amount_mismatch' : 'currency_mismatch',
            expectedAmount: toMoneyJson(core.expected),
            receivedAmount: toMoneyJson(data.amount),
            providerTransactionId: data.providerTransactionId,
            flaggedAt: data.succeededAt,
          },
        });
      }
      return accept({
        type: 'PaymentSucceeded',
        data: {
          paymentId: core.paymentId,
          tenantId: core.tenantId,
          amount: toMoneyJson(data.amount),
          providerTransactionId: data.providerTransactionId,
          succeededAt: data.succeededAt,
        },
      });
    }
    default:
      return assertNever(state, 'payment state');
  }
}

function recordFailure(
  data: Extract<PaymentCommand, { type: 'RecordPaymentFailure' }>['data'],
  state: PaymentState,
): PaymentDecision {
  switch (state.status) {
    case 'none':
      return refuse('payment_not_found', `payment ${data.paymentId} does not exist`, 'paymentId');
    case 'flagged':
      return refuse('payment_under_review', 'the payment is held for review', 'paymentId');
    case 'succeeded':
    case 'refunded':
      // A late failure notice (delivered out of order) must not undo money received.
      return refuse('payment_already_succeeded', `payment ${data.paymentId} already succeeded`, 'paymentId');
    case 'failed':
      return accept();
    case 'pending':
      return accept({
        type: 'PaymentFailed',
        data: {
          paymentId: state.core.paymentId,
          tenantId: state.core.tenantId,
          failureCode: data.failureCode,
          failureMessage: data.failureMessage,
          failedAt: data.failedAt,
        },
      });
    default:
      return assertNever(state, 'payment state');
  }
}

function refund(
  data: Extract<PaymentCommand, { type: 'RefundPayment' }>['data'],
  state: PaymentState,
): PaymentDecision {
  if (state.status === 'none') {
    return refuse('payment_not_found', `payment ${data.paymentId} does not exist`, 'paymentId');
  }
  if (
    (state.status === 'succeeded' || state.status === 'refunded') &&
    state.settlement.refundIds.includes(data.refundId)
  ) {
    return accept();
  }
  if (!isPositive(data.amount)) return refuse('amount_not_positive', 'a refund must be positive', 'amount');
  if (state.status === 'flagged') {
    return refuse('payment_under_review', 'the payment is held for review', 'paymentId');
  }
  if (state.status === 'pending' || state.status === 'failed') {
    return refuse('payment_not_succeeded', 'only money received can be refunded', 'paymentId');
  }
  if (state.status === 'refunded') {
    return refuse(
      'payment_fully_refunded',
      `payment ${data.paymentId} is already fully refunded`,
      'paymentId',
    );
  }
  const left = refundable(state.settlement);
  if (left.currency !== data.amount.currency) {
    return refuse('refund_currency_mismatch', `the payment was made in ${left.currency}`, 'amount');
  }
  if (data.amount.amountMinor > left.amountMinor) {
    return refuse(
      'refund_exceeds_paid',
      `at most ${left.amountMinor} ${left.currency} can still be refunded`,
      'amount',
    );
  }
  if (state.settlement.refundIds.length >= refundsPerPaymentMax) {
    return refuse(
      'refunds_limit_reached',
      `a payment takes at most ${refundsPerPaymentMax} refunds`,
      'refundId',
    );
  }
  return accept({
    type: 'PaymentRefunded',
    data: {
      paymentId: state.core.paymentId,
      tenantId: state.core.tenantId,
      refundId: data.refundId,
      amount: toMoneyJson(data.amount),
      kind: data.amount.amountMinor === left.amountMinor ? 'full' : 'partial',
      creditNoteId: data.creditNoteId,
      manual: data.manual,
      reason: data.reason,
      refundedAt: data.refundedAt,
    },
  });
}

function acceptReceived(
  data: Extract<PaymentCommand, { type: 'AcceptReceivedAmount' }>['data'],
  state: PaymentState,
): PaymentDecision {
  if (state.status === 'none') {
    return refuse('payment_not_found', `payment ${data.paymentId} does not exist`, 'paymentId');
  }
  // Accepting twice records nothing more: the first acceptance made the payment succeed.
  if (
    (state.status === 'succeeded' || state.status === 'refunded') &&
    state.settlement.paid.amountMinor !== state.core.expected.amountMinor
  ) {
    return accept();
  }
  if (state.status !== 'flagged') {
    return refuse(
      'payment_not_under_review',
      `payment ${data.paymentId} is not held for review`,
      'paymentId',
    );
  }
  if (state.received.currency !== state.core.expected.currency) {
    return refuse(
      'review_currency_mismatch',
      `the provider collected ${state.received.currency}: refund it instead`,
    );
  }
  if (!isPositive(state.received)) return refuse('amount_not_positive', 'nothing was collected', 'amount');
  return accept({
    type: 'PaymentSucceeded',
    data: {
      paymentId: state.core.paymentId,
      tenantId: state.core.tenantId,
      amount: toMoneyJson(state.received),
      providerTransactionId: state.providerTransactionId,
      succeededAt: data.acceptedAt,
    },
  });
}

function allocate(
  data: Extract<PaymentCommand, { type: 'AllocatePayment' }>['data'],
  state: PaymentState,
): PaymentDecision {
  switch (state.status) {
    case 'none':
      return refuse('payment_not_found', `payment ${data.paymentId} does not exist`, 'paymentId');
    case 'flagged':
      return refuse('payment_under_review', 'the payment is held for review', 'paymentId');
    case 'pending':
    case 'failed':
      return refuse('payment_not_succeeded', 'only money received can be allocated', 'paymentId');
    case 'refunded':
      if (state.settlement.allocation !== null) return accept();
      return refuse(
        'payment_fully_refunded',
        `payment ${data.paymentId} was refunded before allocation`,
        'paymentId',
      );
    case 'succeeded': {
      // Allocation is decided once: a second plan (a retried or racing reaction) records nothing.
      if (state.settlement.allocation !== null) return accept();
      const { paid } = state.settlement;
      let total = data.credit.amountMinor;
      for (const part of data.allocations) {
        if (part.amount.currency !== paid.currency || part.amount.amountMinor <= 0n) {
          throw new InvariantViolation(
            `allocation part ${part.invoiceId} is not a positive ${paid.currency} amount`,
          );
        }
        total += part.amount.amountMinor;
      }
      if (
        data.credit.currency !== paid.currency ||
        data.credit.amountMinor < 0n ||
        total !== paid.amountMinor
      ) {
        throw new InvariantViolation(
          `allocation of payment ${data.paymentId} does not add up to the amount paid`,
        );
      }
      return accept({
        type: 'PaymentAllocated',
        data: {
          paymentId: state.core.paymentId,
          tenantId: state.core.tenantId,
          allocations: data.allocations.map((a) => ({
            invoiceId: a.invoiceId,
            amount: toMoneyJson(a.amount),
          })),
          credit: toMoneyJson(data.credit),
          allocatedAt: data.allocatedAt,
        },
      });
    }
    default:
      return assertNever(state, 'payment state');
  }
}

function checkInvoiceIds(invoiceIds: readonly string[]): string | null {
  if (invoiceIds.length > invoiceIdsPerPaymentMax) {
    return `a payment names at most ${invoiceIdsPerPaymentMax} invoices`;
  }
  if (new Set(invoiceIds).size !== invoiceIds.length) return 'an invoice is named twice';
  return null;
}

export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState, PaymentRefusalCode> = {
  initialState: initialPaymentState,
  evolve: evolvePayment,
  decide: decidePayment,
};
