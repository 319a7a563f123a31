import { createHash } from 'node:crypto';
import { customerBalanceDecider } from '../../domain/customer-balance/customer-balance.decide.ts';
import { customerBalanceStreamName } from '../../domain/customer-balance/customer-balance.ts';
import type { CalendarDate } from '../../domain/invoice/calendar.ts';
import { invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import {
  type InvoiceEvent,
  type InvoiceState,
  invoiceStreamName,
  isIssued,
} from '../../domain/invoice/invoice.ts';
import { add, isPositive, type Money, zero } from '../../domain/money/index.ts';
import {
  allocatePayment,
  compareInvoiceNumbers,
  type OpenInvoice,
  openInvoicesMax,
} from '../../domain/payment/allocation.ts';
import { type PaymentCommand, paymentDecider } from '../../domain/payment/payment.decide.ts';
import {
  invoiceIdsPerPaymentMax,
  type ManualPaymentMethod,
  type OnlineProvider,
  type PaymentEvent,
  type PaymentState,
  paymentStreamName,
} from '../../domain/payment/payment.ts';
import { fold, type Refusal } from '../../domain/shared/decider.ts';
import { StreamNotFound } from '../../eventstore/errors.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import { applyCustomerCredit } from '../billing/invoicing.ts';
import { type CommandContext, handleCommand } from '../command-handler.ts';
import {
  type ConfirmedOutcome,
  httpStatusByRejection,
  type KnownSession,
  type NotificationRequest,
  type PaymentProvider,
  ProviderCallFailed,
  type RejectionReason,
} from './port.ts';
import { sha256Hex } from './wire.ts';

/**
 * The payment use cases: initiate → provider session → notification → succeeded or failed →
 * allocation to invoices → invoice paid or partly paid, the excess to the tenant's credit.
 *
 * Exactly-once comes from the streams, not from locks:
 * - a notification names its payment (`payment-<id>`), read straight from the log, so it lands even
 *   before any read model has seen the initiation;
 * - every command has a key derived from the payment (`payment-success:<id>`…), so the event ids of
 *   a replayed webhook are the ones already stored and nothing is written twice;
 * - the allocation plan is recorded once in the payment stream (PaymentAllocated); applying it to
 *   each invoice uses a key per (payment, invoice), and the invoice aggregate never takes more than
 *   its amount due, so two payments racing for one invoice leave the loser's share as excess, which
 *   goes to the tenant's credit.
 */

export interface SecurityLogEntry {
  readonly event: 'payment_notification_rejected';
  readonly provider: string;
  readonly reason: RejectionReason | 'provider_disabled';
  readonly detail: string;
  /** The payment the notification claimed to be about, as sent (untrusted). */
  readonly claimedReference: string | null;
  readonly at: string;
}

/** How much of an untrusted claimed reference goes into the security log. */
const claimedReferenceLoggedMax = 200;

export interface PaymentFlowDependencies {
  readonly store: EventStore;
  readonly providers: ReadonlyMap<OnlineProvider, PaymentProvider>;
  /** Public origin of the ledger, for success, error and notification URLs. */
  readonly publicBaseUrl: string;
  /**
   * The tenant's open invoices, oldest first is not required (the allocation policy sorts). A read
   * model answers this in production; each invoice is re-read from its stream before use, so a
   * lagging read model can only miss an invoice, never over-allocate one.
   */
  readonly openInvoiceIds: (tenantId: string) => Promise<readonly string[]>;
  /** The calendar date of an instant in the tenant's time zone (legal dates are local). */
  readonly calendarDate: (tenantId: string, instant: Date) => Promise<CalendarDate>;
  /** Where refused notifications are written: the API's logger at `warn`, with no secret in it. */
  readonly securityLog: (entry: SecurityLogEntry) => void;
  readonly now: () => Date;
  /**
   * The reactions to a finished allocation (a paid past-due subscription is reinstated). Called
   * after every allocation, replays included, so a crash between the allocation and its reaction
   * is completed by the next delivery; each reaction keys its commands on the payment id.
   */
  readonly afterAllocation?: (allocation: FinishedAllocation, context: CommandContext) => Promise<void>;
}

export interface FinishedAllocation {
  readonly paymentId: string;
  readonly tenantId: string;
  /** The invoices the payment was planned to, in plan order. */
  readonly invoiceIds: readonly string[];
  /** The tenant's calendar date of the allocation. */
  readonly today: CalendarDate;
}

/** A payment id short enough for Orange Money's 30-character `order_id`, stable for one idempotency key. */
export function paymentIdFor(idempotencyKey: string): string {
  return `pay-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 24)}`;
}

/** Where a provider posts notifications. Orange Money needs the payment id in the path; the others ignore it. */
export function notificationUrl(publicBaseUrl: string, provider: OnlineProvider, paymentId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/webhooks/payments/${provider}/${encodeURIComponent(paymentId)}`;
}

/** The refusals of the flow itself, besides the deciders' own. */
export type PaymentFlowRefusalCode = 'provider_disabled' | 'invoice_not_payable';

export type FlowOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: Refusal };

export interface InitiatePaymentInput {
  readonly tenantId: string;
  readonly provider: OnlineProvider;
  readonly invoiceIds: readonly string[];
  readonly amount: Money;
  readonly description: string;
  /** Where the payer's browser returns to; defaults to the portal's invoice pages. */
  readonly successUrl?: string;
  readonly errorUrl?: string;
}

export interface InitiatedPayment {
  readonly paymentId: string;
  readonly paymentUrl: string | null;
  readonly providerSessionId: string;
  readonly isSandbox: boolean;
}

export async function initiatePayment(
  deps: PaymentFlowDependencies,
  input: InitiatePaymentInput,
  context: CommandContext,
): Promise<FlowOutcome<InitiatedPayment>> {
  const provider = deps.providers.get(input.provider);
  if (provider === undefined)
    return refused('provider_disabled', `${input.provider} is not configured`, 'provider');
  const paymentId = paymentIdFor(context.idempotencyKey);

  // A retried initiation returns the session it opened the first time.
  const existing = await loadPayment(deps.store, paymentId);
  if (existing.status !== 'none') return { ok: true, value: initiatedFrom(paymentId, existing, provider) };

  if (input.invoiceIds.length > invoiceIdsPerPaymentMax) {
    return refused(
      'invoice_not_payable',
      `at most ${invoiceIdsPerPaymentMax} invoices per payment`,
      'invoiceIds',
    );
  }
  // Tenant isolation: a tenant pays only its own, open invoices in the payment's currency.
  for (const invoiceId of input.invoiceIds) {
    const invoice = await loadInvoiceState(deps.store, invoiceId);
    const payable =
      isIssued(invoice) &&
      invoice.invoice.tenantId === input.tenantId &&
      invoice.invoice.currency === input.amount.currency &&
      isPositive(invoice.account.amountDue) &&
      invoice.status !== 'written_off';
    if (!payable) return refused('invoice_not_payable', `invoice ${invoiceId} cannot be paid`, 'invoiceIds');
  }

  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const session = await provider.createSession({
    paymentId,
    tenantId: input.tenantId,
    amount: input.amount,
    clientReference: paymentId,
    description: input.description,
    successUrl: input.successUrl ?? `${base}/portal/payments/${paymentId}/success`,
    errorUrl: input.errorUrl ?? `${base}/portal/payments/${paymentId}/error`,
    notificationUrl: notificationUrl(base, input.provider, paymentId),
  });
  const command: PaymentCommand = {
    type: 'InitiatePayment',
    data: {
      paymentId,
      tenantId: input.tenantId,
      provider: input.provider,
      invoiceIds: input.invoiceIds,
      amount: input.amount,
      providerSessionId: session.providerSessionId,
      clientReference: paymentId,
      notifTokenSha256: session.notifToken === null ? null : sha256Hex(session.notifToken),
      paymentUrl: session.paymentUrl,
      initiatedAt: context.occurredAt,
    },
  };
  const outcome = await handleCommand(deps.store, paymentDecider, paymentStreamName(paymentId), command, {
    ...context,
    idempotencyKey: `payment-initiate:${paymentId}`,
  });
  if (!outcome.ok) {
    // Two identical initiations raced and both opened a provider session; the first recorded wins
    // and the other session simply expires unused.
    const winner = await loadPayment(deps.store, paymentId);
    if (winner.status !== 'none') return { ok: true, value: initiatedFrom(paymentId, winner, provider) };
    return outcome;
  }
  return {
    ok: true,
    value: {
      paymentId,
      paymentUrl: session.paymentUrl,
      providerSessionId: session.providerSessionId,
      isSandbox: provider.isSandbox,
    },
  };
}

function initiatedFrom(
  paymentId: string,
  state: Exclude<PaymentState, { status: 'none' }>,
  provider: PaymentProvider,
) {
  return {
    paymentId,
    paymentUrl: state.core.paymentUrl,
    providerSessionId: state.core.providerSessionId ?? '',
    isSandbox: provider.isSandbox,
  };
}

export type NotificationHandled =
  | {
      readonly httpStatus: 200;
      readonly outcome: 'recorded' | 'already_recorded' | 'ignored' | 'flagged' | 'refused';
      readonly paymentId: string | null;
    }
  | {
      readonly httpStatus: 400 | 401 | 404;
      readonly outcome: 'rejected';
      readonly reason: RejectionReason | 'provider_disabled';
    }
  /** The provider has not settled yet, or could not be asked: answer 503 so it delivers again. */
  | { readonly httpStatus: 503; readonly outcome: 'not_confirmed'; readonly paymentId: string };

/**
 * Handles one notification: verify, ask the provider, record, allocate. Safe to run any number of
 * times, concurrently, for the same notification: at most one success and one allocation result.
 */
export async function handlePaymentNotification(
  deps: PaymentFlowDependencies,
  providerName: OnlineProvider,
  request: NotificationRequest,
): Promise<NotificationHandled> {
  const provider = deps.providers.get(providerName);
  if (provider === undefined) {
    deps.securityLog({
      event: 'payment_notification_rejected',
      provider: providerName,
      reason: 'provider_disabled',
      detail: 'notification for a provider that is not configured',
      claimedReference: null,
      at: request.now.toISOString(),
    });
    return { httpStatus: 404, outcome: 'rejected', reason: 'provider_disabled' };
  }
  const claimed = provider.claimedReference(request);
  const session = claimed === null ? null : await knownSession(deps.store, claimed, providerName);
  const verdict = provider.verifyNotification(request, session);
  if (verdict.kind === 'rejected') {
    deps.securityLog({
      event: 'payment_notification_rejected',
      provider: providerName,
      reason: verdict.reason,
      detail: verdict.detail,
      // Untrusted text: bounded so a hostile body cannot flood the log.
      claimedReference: claimed === null ? null : claimed.slice(0, claimedReferenceLoggedMax),
      at: request.now.toISOString(),
    });
    return { httpStatus: httpStatusByRejection[verdict.reason], outcome: 'rejected', reason: verdict.reason };
  }
  const notification = verdict.notification;
  if (notification.outcome === 'ignored' || session === null) {
    return { httpStatus: 200, outcome: 'ignored', paymentId: session?.paymentId ?? null };
  }

  const context = (idempotencyKey: string): CommandContext => ({
    idempotencyKey,
    actor: { kind: 'provider', id: providerName },
    // Event metadata holds at most 200 characters here; a provider's event id is usually far shorter.
    correlationId: notification.eventId.slice(0, 200),
    causationId: null,
    occurredAt: deps.now().toISOString(),
  });

  // A duplicate of a notification already acted on needs no second call to the provider: finish
  // the allocation (a no-op unless a crash interrupted it) and acknowledge.
  const current = await loadPayment(deps.store, session.paymentId);
  if (current.status === 'succeeded' || current.status === 'refunded') {
    if (notification.outcome === 'failed')
      return { httpStatus: 200, outcome: 'refused', paymentId: session.paymentId };
    await allocateReceivedPayment(
      deps,
      session.paymentId,
      context(`payment-allocation:${session.paymentId}`),
    );
    return { httpStatus: 200, outcome: 'already_recorded', paymentId: session.paymentId };
  }
  if (current.status === 'flagged')
    return { httpStatus: 200, outcome: 'flagged', paymentId: session.paymentId };

  let confirmed: ConfirmedOutcome;
  try {
    confirmed = await provider.confirm(session, notification);
  } catch (error) {
    if (error instanceof ProviderCallFailed)
      return { httpStatus: 503, outcome: 'not_confirmed', paymentId: session.paymentId };
    throw error;
  }
  const nowIso = deps.now().toISOString();
  const stream = paymentStreamName(session.paymentId);

  switch (confirmed.status) {
    case 'pending':
      return { httpStatus: 503, outcome: 'not_confirmed', paymentId: session.paymentId };
    case 'failed': {
      const outcome = await handleCommand(
        deps.store,
        paymentDecider,
        stream,
        {
          type: 'RecordPaymentFailure',
          data: {
            paymentId: session.paymentId,
            failureCode: confirmed.code,
            failureMessage: confirmed.message,
            failedAt: nowIso,
          },
        },
        context(`payment-failure:${session.paymentId}:${notification.eventId}`),
      );
      // A failure after a success (out-of-order delivery) is refused and changes nothing.
      return {
        httpStatus: 200,
        outcome: outcome.ok ? recordedOrNot(outcome) : 'refused',
        paymentId: session.paymentId,
      };
    }
    case 'succeeded': {
      const outcome = await handleCommand(
        deps.store,
        paymentDecider,
        stream,
        {
          type: 'RecordPaymentSuccess',
          data: {
            paymentId: session.paymentId,
            amount: confirmed.amount,
            providerTransactionId: confirmed.providerTransactionId,
            succeededAt: nowIso,
          },
        },
        // One key per payment: a payment succeeds once, whichever notification says so.
        context(`payment-success:${session.paymentId}`),
      );
      if (!outcome.ok) return { httpStatus: 200, outcome: 'refused', paymentId: session.paymentId };
      const state = await loadPayment(deps.store, session.paymentId);
      if (state.status === 'flagged')
        return { httpStatus: 200, outcome: 'flagged', paymentId: session.paymentId };
      await allocateReceivedPayment(
        deps,
        session.paymentId,
        context(`payment-allocation:${session.paymentId}`),
      );
      return { httpStatus: 200, outcome: recordedOrNot(outcome), paymentId: session.paymentId };
    }
    default:
      return confirmed satisfies never;
  }
}

function recordedOrNot(outcome: { readonly events: readonly unknown[]; readonly replayed: boolean }) {
  return outcome.events.length > 0 && !outcome.replayed
    ? ('recorded' as const)
    : ('already_recorded' as const);
}

export interface AllocationDone {
  readonly applied: ReadonlyArray<{ readonly invoiceId: string; readonly amount: Money }>;
  readonly credit: Money;
}

/**
 * Allocates a received payment: decide the plan once, apply it invoice by invoice, and put what is
 * left (planned credit, plus any invoice's excess because another payment got there first) on the
 * tenant's credit balance. Every step is keyed, so running this again finishes what a crash left.
 */
export async function allocateReceivedPayment(
  deps: PaymentFlowDependencies,
  paymentId: string,
  context: CommandContext,
): Promise<FlowOutcome<AllocationDone>> {
  let state = await loadPayment(deps.store, paymentId);
  if (state.status !== 'succeeded' && state.status !== 'refunded') {
    return refused('invoice_not_payable', `payment ${paymentId} has no money to allocate`, 'paymentId');
  }
  const { core } = state;
  const paid = state.settlement.paid;
  const today = await deps.calendarDate(core.tenantId, new Date(context.occurredAt));

  if (state.settlement.allocation === null) {
    const openInvoices = await freshOpenInvoices(deps, core.tenantId, core.invoiceIds);
    const plan = allocatePayment({ payment: paid, explicitInvoiceIds: core.invoiceIds, openInvoices });
    const planned = await handleCommand(
      deps.store,
      paymentDecider,
      paymentStreamName(paymentId),
      {
        type: 'AllocatePayment',
        data: {
          paymentId,
          allocations: plan.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
          credit: plan.credit,
          allocatedAt: context.occurredAt,
        },
      },
      { ...context, idempotencyKey: `payment-allocation:${paymentId}` },
    );
    if (!planned.ok) return planned;
    // Another reaction may have recorded its plan first: follow whichever plan the stream holds.
    state = await loadPayment(deps.store, paymentId);
  }
  if ((state.status !== 'succeeded' && state.status !== 'refunded') || state.settlement.allocation === null) {
    return refused('invoice_not_payable', `payment ${paymentId} has no allocation`, 'paymentId');
  }
  const plan = state.settlement.allocation;

  let credit = plan.credit;
  const applied: Array<{ invoiceId: string; amount: Money }> = [];
  for (const part of plan.allocations) {
    const outcome = await handleCommand(
      deps.store,
      invoiceDecider,
      invoiceStreamName(part.invoiceId),
      { type: 'ApplyPayment', paymentId, amount: part.amount, appliedOn: today, now: context.occurredAt },
      { ...context, idempotencyKey: `payment-apply:${paymentId}:${part.invoiceId}` },
    );
    const appliedEvent = outcome.ok
      ? outcome.events.find((e) => e.type === 'InvoicePaymentApplied')
      : await appliedEventFor(deps.store, part.invoiceId, paymentId);
    if (appliedEvent === undefined || appliedEvent.type !== 'InvoicePaymentApplied') {
      // The invoice could take nothing (settled, voided or written off meanwhile): the money is credit.
      credit = add(credit, part.amount);
      continue;
    }
    const excess = appliedEvent.data.excess;
    credit = add(credit, { amountMinor: BigInt(excess.amountMinor), currency: paid.currency });
    applied.push({
      invoiceId: part.invoiceId,
      amount: { amountMinor: BigInt(appliedEvent.data.amountApplied.amountMinor), currency: paid.currency },
    });
  }

  if (isPositive(credit)) {
    const creditOutcome = await handleCommand(
      deps.store,
      customerBalanceDecider,
      customerBalanceStreamName(core.tenantId),
      {
        type: 'IncreaseCreditBalance',
        tenantId: core.tenantId,
        source: 'overpayment',
        sourceId: paymentId,
        // The balance records which invoice an overpayment arose on; a payment with no invoice
        // at all (a manual payment on an account with nothing open) names itself.
        invoiceId: plan.allocations[0]?.invoiceId ?? core.invoiceIds[0] ?? paymentId,
        amount: credit,
        increasedOn: today,
        now: context.occurredAt,
      },
      { ...context, idempotencyKey: `payment-credit:${paymentId}` },
    );
    if (!creditOutcome.ok && creditOutcome.refusal.code !== 'credit_source_already_recorded')
      return creditOutcome;
    // When another payment got to a planned invoice first, some other invoice of the tenant may
    // still be open: offer it the credit now rather than at the next billing (named invoices
    // first, then the oldest). The billing use case takes from the balance before it gives to the
    // invoice, so racing calls never spend the credit twice.
    const stillOpen = (await freshOpenInvoices(deps, core.tenantId, core.invoiceIds)).sort((a, b) =>
      namedFirstThenOldest(a, b, core.invoiceIds),
    );
    for (const invoice of stillOpen) {
      await applyCustomerCredit(
        { store: deps.store },
        { invoiceId: invoice.invoiceId, tenantId: core.tenantId, today },
        context,
      );
    }
  }
  if (deps.afterAllocation !== undefined) {
    const invoiceIds = plan.allocations.map((a) => a.invoiceId);
    await deps.afterAllocation({ paymentId, tenantId: core.tenantId, invoiceIds, today }, context);
  }
  return { ok: true, value: { applied, credit: isPositive(credit) ? credit : zero(paid.currency) } };
}

export interface ManualPaymentInput {
  readonly tenantId: string;
  readonly method: ManualPaymentMethod;
  readonly reference: string;
  readonly receivedOn: CalendarDate;
  readonly amount: Money;
  readonly invoiceIds: readonly string[];
}

/** An accountant records money received by transfer, cash or cheque; it is allocated at once. */
export async function recordManualPayment(
  deps: PaymentFlowDependencies,
  input: ManualPaymentInput,
  context: CommandContext,
): Promise<FlowOutcome<{ readonly paymentId: string; readonly allocation: AllocationDone }>> {
  const paymentId = paymentIdFor(context.idempotencyKey);
  for (const invoiceId of input.invoiceIds) {
    const invoice = await loadInvoiceState(deps.store, invoiceId);
    if (!isIssued(invoice) || invoice.invoice.tenantId !== input.tenantId) {
      return refused('invoice_not_payable', `invoice ${invoiceId} is not this tenant's`, 'invoiceIds');
    }
  }
  const outcome = await handleCommand(
    deps.store,
    paymentDecider,
    paymentStreamName(paymentId),
    { type: 'RecordManualPayment', data: { paymentId, ...input, recordedAt: context.occurredAt } },
    { ...context, idempotencyKey: `payment-manual:${paymentId}` },
  );
  if (!outcome.ok) return outcome;
  const allocation = await allocateReceivedPayment(deps, paymentId, {
    ...context,
    idempotencyKey: `payment-allocation:${paymentId}`,
  });
  if (!allocation.ok) return allocation;
  return { ok: true, value: { paymentId, allocation: allocation.value } };
}

/**
 * A person accepts the amount the provider really collected for a payment held for review; it is
 * then allocated like any other payment (an invoice left partly paid, or an overpayment credited).
 */
export async function acceptFlaggedPayment(
  deps: PaymentFlowDependencies,
  paymentId: string,
  context: CommandContext,
): Promise<FlowOutcome<AllocationDone>> {
  const outcome = await handleCommand(
    deps.store,
    paymentDecider,
    paymentStreamName(paymentId),
    { type: 'AcceptReceivedAmount', data: { paymentId, acceptedAt: context.occurredAt } },
    { ...context, idempotencyKey: `payment-accept:${paymentId}` },
  );
  if (!outcome.ok) return outcome;
  return allocateReceivedPayment(deps, paymentId, {
    ...context,
    idempotencyKey: `payment-allocation:${paymentId}`,
  });
}

export interface RefundInput {
  readonly paymentId: string;
  readonly refundId: string;
  readonly amount: Money;
  readonly creditNoteId: string | null;
  /** True when the money goes back by hand (Mobile Money transfer from the operator's phone). */
  readonly manual: boolean;
  readonly reason: string;
}

/**
 * Records a refund. The money itself goes back by hand for Mobile Money (we call no refund API
 * yet, so `manual` must be true for online payments); the event is the ledger's record of it.
 */
export async function refundPayment(
  deps: PaymentFlowDependencies,
  input: RefundInput,
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    paymentDecider,
    paymentStreamName(input.paymentId),
    { type: 'RefundPayment', data: { ...input, refundedAt: context.occurredAt } },
    { ...context, idempotencyKey: `payment-refund:${input.paymentId}:${input.refundId}` },
  );
}

function namedFirstThenOldest(a: OpenInvoice, b: OpenInvoice, named: readonly string[]): number {
  const rankA = named.includes(a.invoiceId) ? named.indexOf(a.invoiceId) : named.length;
  const rankB = named.includes(b.invoiceId) ? named.indexOf(b.invoiceId) : named.length;
  if (rankA !== rankB) return rankA - rankB;
  if (a.issuedOn !== b.issuedOn) return a.issuedOn < b.issuedOn ? -1 : 1;
  return compareInvoiceNumbers(a.number, b.number);
}

/** The tenant's open invoices as they stand in their streams now, for the allocation policy. */
async function freshOpenInvoices(
  deps: PaymentFlowDependencies,
  tenantId: string,
  namedInvoiceIds: readonly string[],
): Promise<OpenInvoice[]> {
  const listed = await deps.openInvoiceIds(tenantId);
  const candidates = [...new Set([...namedInvoiceIds, ...listed])].slice(0, openInvoicesMax);
  const open: OpenInvoice[] = [];
  for (const invoiceId of candidates) {
    const state = await loadInvoiceState(deps.store, invoiceId);
    if (!isIssued(state) || state.invoice.tenantId !== tenantId) continue;
    if (state.status === 'written_off' || !isPositive(state.account.amountDue)) continue;
    open.push({
      invoiceId,
      issuedOn: state.invoice.issuedOn,
      number: state.invoice.number,
      amountDue: state.account.amountDue,
    });
  }
  return open;
}

async function appliedEventFor(
  store: EventStore,
  invoiceId: string,
  paymentId: string,
): Promise<InvoiceEvent | undefined> {
  const events = await readAll(store, invoiceStreamName(invoiceId));
  const found = events.find(
    (e) => e.type === 'InvoicePaymentApplied' && (e.data as { paymentId?: unknown }).paymentId === paymentId,
  );
  return found === undefined ? undefined : ({ type: found.type, data: found.data } as InvoiceEvent);
}

/** The most events read from one stream per page. */
const eventsPerPageMax = 1000;

/**
 * Every event of a stream in revision order. Sorted here, not trusted: see the note in
 * app/billing/issue-invoice.ts about the PostgreSQL adapter's ordering.
 */
async function readAll(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for (;;) {
      const page = await store.readStream(streamName, {
        fromRevision: BigInt(events.length),
        maxCount: eventsPerPageMax,
      });
      events.push(...page);
      if (page.length < eventsPerPageMax) break;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return events.sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0));
}

export async function loadPayment(store: EventStore, paymentId: string): Promise<PaymentState> {
  const events = await readAll(store, paymentStreamName(paymentId));
  return fold(
    paymentDecider,
    events.map((e) => ({ type: e.type, data: e.data }) as PaymentEvent),
  );
}

async function loadInvoiceState(store: EventStore, invoiceId: string): Promise<InvoiceState> {
  const events = await readAll(store, invoiceStreamName(invoiceId));
  return fold(
    invoiceDecider,
    events.map((e) => ({ type: e.type, data: e.data }) as InvoiceEvent),
  );
}

/** The session a notification's claimed reference points to, if it is an online payment of this provider. */
async function knownSession(
  store: EventStore,
  paymentId: string,
  provider: OnlineProvider,
): Promise<KnownSession | null> {
  // Stream names are built from ids; refuse anything that could not be one of ours before reading.
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(paymentId)) return null;
  const state = await loadPayment(store, paymentId);
  if (state.status === 'none' || state.core.provider !== provider) return null;
  const { core } = state;
  if (core.providerSessionId === null || core.clientReference === null || core.provider === 'manual')
    return null;
  return {
    paymentId: core.paymentId,
    provider: core.provider,
    providerSessionId: core.providerSessionId,
    clientReference: core.clientReference,
    amount: core.expected,
    notifTokenSha256: core.notifTokenSha256,
  };
}

function refused(
  code: PaymentFlowRefusalCode,
  message: string,
  field?: string,
): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}
