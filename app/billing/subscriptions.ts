import type { BillingInterval } from '../../domain/catalog/plan.ts';
import { isIssued } from '../../domain/invoice/invoice.ts';
import { listPrice } from '../../domain/catalog/plan.ts';
import { fromMoneyJson, isPositive, type Money, negate, subtract } from '../../domain/money/index.ts';
import { addDays } from '../../domain/shared/calendar-date.ts';
import type { Refusal } from '../../domain/shared/decider.ts';
import { fold } from '../../domain/shared/decider.ts';
import {
  type ChangePlan,
  type PlanChangePreview,
  previewPlanChange as previewDecision,
  subscriptionDecider,
} from '../../domain/subscription/subscription.decide.ts';
import {
  type CancellationReason,
  type SubscriptionEvent,
  type SubscriptionState,
  type SubscriptionTerms,
  subscriptionTermsFromJson,
} from '../../domain/subscription/subscription.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { type CommandContext, handleCommand } from '../command-handler.ts';
import { currentPlanVersion } from './catalog.ts';
import {
  type Billed,
  billInvoice,
  issueCreditNote,
  type LineInput,
  loadInvoiceState,
  markInvoiceOverdue,
  writeOffInvoice,
} from './invoicing.ts';
import { type BillingDeps, loadState, type Outcome, ok, readStreamEvents, refused, step } from './support.ts';
import { loadTenant } from './tenants.ts';
import { subscriptionStreamName } from '../../domain/subscription/subscription.ts';

/**
 * Subscription use cases. The subscription stream decides (periods, proration, credits); the
 * invoices and credit notes those decisions call for are billed after it, each under an id derived
 * from the event that called for it:
 *
 * - `<subscriptionId>_p<period start>`: the invoice of a paid period (a paid start, a converted
 *   trial, a renewal);
 * - `<subscriptionId>_c<revision>`: the proration invoice of the PlanChanged at that revision;
 * - `<subscriptionId>_x<revision>-<n>`: the credit notes of the SubscriptionCanceled at that revision.
 *
 * So the subscription stream alone says which documents must exist, and `settleSubscription`
 * completes whatever a crash left out, whoever calls it (docs/rfc/004-use-cases.md).
 */

// The domain names its streams; the use cases re-export the name for their callers.
export { subscriptionStreamName };

export const periodInvoiceId = (subscriptionId: string, periodStart: string): string =>
  `${subscriptionId}_p${periodStart}`;
export const changeInvoiceId = (subscriptionId: string, revision: bigint): string =>
  `${subscriptionId}_c${revision}`;
export const cancellationCreditNoteId = (subscriptionId: string, revision: bigint, index: number): string =>
  `${subscriptionId}_x${revision}-${index}`;

/** The subscription an invoice bills, when one of these use cases drafted it; null otherwise. */
export function subscriptionOfInvoice(invoiceId: string): string | null {
  const match = /^(.+)_(p\d{4}-\d{2}-\d{2}|c\d+)$/.exec(invoiceId);
  return match?.[1] ?? null;
}

/** The revision of the first event a command recorded (or had recorded, on a replay). */
function firstRevision(outcome: {
  readonly events: readonly unknown[];
  readonly revision: bigint | null;
}): bigint | undefined {
  if (outcome.revision === null || outcome.events.length === 0) return undefined;
  return outcome.revision - BigInt(outcome.events.length - 1);
}

export async function loadSubscription(
  deps: BillingDeps,
  subscriptionId: string,
): Promise<SubscriptionState> {
  return loadState(deps.store, subscriptionStreamName(subscriptionId), subscriptionDecider);
}

export interface TermsInput {
  readonly planCode: string;
  readonly interval: BillingInterval;
  /** The negotiated price of one interval, for a plan without a list price (Enterprise). */
  readonly negotiatedPrice?: Money;
}

/** The terms a sale copies from the catalog: the plan's latest version, at its price in the tenant's currency. */
export async function termsFor(
  deps: BillingDeps,
  input: TermsInput & { readonly currency: string },
): Promise<Outcome<{ readonly terms: SubscriptionTerms; readonly trialDays: number }>> {
  const version = await currentPlanVersion(deps, input.planCode);
  if (!version.ok) return version;
  const plan = version.value;
  let price: Money | null;
  if (plan.pricing.kind === 'negotiated') {
    if (input.negotiatedPrice === undefined) {
      return refused('price_required', `plan ${input.planCode} is priced per tenant`, 'negotiatedPrice');
    }
    price = input.negotiatedPrice;
  } else {
    price = listPrice(plan, input.interval, input.currency as Money['currency']);
  }
  if (price === null) {
    return refused(
      'price_not_found',
      `plan ${input.planCode} is not sold ${input.interval} in ${input.currency}`,
      'interval',
    );
  }
  if (price.currency !== input.currency) {
    return refused('currency_mismatch', `the tenant is billed in ${input.currency}`, 'negotiatedPrice');
  }
  return ok({
    terms: {
      planCode: input.planCode,
      planVersion: plan.version,
      interval: input.interval,
      price,
      meters: plan.meters,
    },
    trialDays: plan.trialDays,
  });
}

export interface StartSubscriptionInput extends TermsInput {
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** A trial of the plan's length, or paid at once (the first invoice is issued). */
  readonly trial: boolean;
  readonly anchorDate?: string | null;
  readonly paymentMethodId?: string | null;
  readonly today: string;
}

export interface SubscriptionDone {
  readonly subscriptionId: string;
  readonly status: SubscriptionState['status'];
  /** The documents this call billed (or found billed, on a retry). */
  readonly invoices: readonly Billed[];
  readonly creditNotes: readonly string[];
}

export async function startSubscription(
  deps: BillingDeps,
  input: StartSubscriptionInput,
  context: CommandContext,
): Promise<Outcome<SubscriptionDone>> {
  const tenant = await loadTenant(deps, input.tenantId);
  if (tenant.status === 'unregistered') return refused('tenant_not_found', `no tenant ${input.tenantId}`);
  if (tenant.status !== 'active') return refused('tenant_not_active', `the tenant is ${tenant.status}`);
  const terms = await termsFor(deps, { ...input, currency: tenant.details.billingCurrency });
  if (!terms.ok) return terms;
  const trialDays = input.trial && terms.value.trialDays > 0 ? terms.value.trialDays : null;
  const started = await handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    {
      type: 'StartSubscription',
      subscriptionId: input.subscriptionId,
      tenantId: input.tenantId,
      terms: terms.value.terms,
      trialDays,
      anchorDate: trialDays === null ? (input.anchorDate ?? null) : null,
      paymentMethodId: input.paymentMethodId ?? null,
      today: input.today,
    },
    step(context, 'start'),
  );
  if (!started.ok) return started;
  return settleSubscription(
    deps,
    { subscriptionId: input.subscriptionId, today: input.today, fromRevision: firstRevision(started) ?? 0n },
    context,
  );
}

export async function attachPaymentMethod(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly paymentMethodId: string; readonly today: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    {
      type: 'AttachPaymentMethod',
      subscriptionId: input.subscriptionId,
      paymentMethodId: input.paymentMethodId,
      today: input.today,
    },
    context,
  );
}

/**
 * The first invoice of a trial, issued before the trial ends when the tenant chooses to pay at once
 * (the portal's "pay now"). It bills period 0, which starts at the trial end, under the same id a
 * conversion would give it, so a conversion never bills that period twice.
 */
export async function invoiceTrialUpfront(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<Billed>> {
  const state = await loadSubscription(deps, input.subscriptionId);
  if (state.status !== 'trialing')
    return refused('subscription_not_trialing', `the subscription is ${state.status}`);
  const period = { start: state.trialEndsOn, end: nextPeriodEnd(state.anchorDate, state.terms.interval) };
  return billInvoice(
    deps,
    {
      invoiceId: periodInvoiceId(state.subscriptionId, period.start),
      tenantId: state.tenantId,
      issuedOn: input.today,
      lines: [periodLine(state.terms, period, state.terms.price)],
    },
    context,
  );
}

function nextPeriodEnd(anchorDate: string, interval: BillingInterval): string {
  const [y, m, d] = anchorDate.split('-').map(Number) as [number, number, number];
  const months = interval === 'annual' ? 12 : 1;
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The trial end, run by the scheduler on or after the trial's last day: converts when the first
 * invoice was paid (`first_invoice_paid`) or a payment method is on file (then the first period is
 * invoiced), else expires with no invoice. A first invoice issued but unpaid on expiry is cancelled
 * by a full credit note: the service it billed will not be given.
 */
export async function endTrial(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<SubscriptionDone>> {
  const state = await loadSubscription(deps, input.subscriptionId);
  if (state.status === 'trialing') {
    const upfrontId = periodInvoiceId(state.subscriptionId, state.trialEndsOn);
    const upfront = await loadInvoiceState(deps, upfrontId);
    const paid = upfront.status === 'paid';
    const outcome = await handleCommand(
      deps.store,
      subscriptionDecider,
      subscriptionStreamName(input.subscriptionId),
      paid
        ? {
            type: 'ConvertTrial',
            subscriptionId: input.subscriptionId,
            invoiceId: upfrontId,
            today: input.today,
          }
        : { type: 'EndTrial', subscriptionId: input.subscriptionId, today: input.today },
      step(context, 'end'),
    );
    if (!outcome.ok) return outcome;
    const expired = outcome.events.some(
      (e) => e.type === 'TrialExpired' || e.type === 'SubscriptionCanceled',
    );
    if (
      expired &&
      (upfront.status === 'issued' || upfront.status === 'partially_paid' || upfront.status === 'overdue')
    ) {
      const credited = await issueCreditNote(
        deps,
        {
          invoiceId: upfrontId,
          creditNoteId: `${upfrontId}-expired`,
          issuedOn: input.today,
          reason: "Essai expiré : la période facturée d'avance n'est pas servie",
          credit: { kind: 'full' },
        },
        context,
      );
      if (!credited.ok) return credited;
    }
  }
  return settleSubscription(deps, input, context);
}

/** Renews at the period end (as many periods as have ended), billing each new period. */
export async function renewSubscription(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<SubscriptionDone>> {
  // After downtime several periods may have ended; each renewal is its own step, keyed by the end of
  // the period it closes, so a retry replays exactly the renewals already made.
  let from: bigint | undefined;
  for (let renewalsMax = 24; renewalsMax > 0; renewalsMax -= 1) {
    const state = await loadSubscription(deps, input.subscriptionId);
    if (state.status !== 'active' || state.currentPeriod.end > input.today) break;
    const outcome = await handleCommand(
      deps.store,
      subscriptionDecider,
      subscriptionStreamName(input.subscriptionId),
      { type: 'RenewSubscription', subscriptionId: input.subscriptionId, today: input.today },
      step(context, `renew:${state.currentPeriod.end}`),
    );
    if (!outcome.ok) return outcome;
    from ??= firstRevision(outcome);
  }
  // Nothing renewed now: a retry after the renewals were made still completes their invoices.
  return settleSubscription(deps, { ...input, fromRevision: from }, context);
}

export interface ChangePlanInput extends TermsInput {
  readonly subscriptionId: string;
  readonly today: string;
}

async function changeCommand(
  deps: BillingDeps,
  input: ChangePlanInput,
): Promise<Outcome<{ command: ChangePlan; state: SubscriptionState }>> {
  const state = await loadSubscription(deps, input.subscriptionId);
  if (state.status === 'none')
    return refused('subscription_not_found', `no subscription ${input.subscriptionId}`);
  const terms = await termsFor(deps, { ...input, currency: state.terms.price.currency });
  if (!terms.ok) return terms;
  return ok({
    command: {
      type: 'ChangePlan',
      subscriptionId: input.subscriptionId,
      terms: terms.value.terms,
      today: input.today,
    },
    state,
  });
}

/**
 * What a plan change would do, with its exact amounts, committing nothing: the same decision the
 * change takes, so what the tenant is shown is what is billed.
 */
export async function previewPlanChange(
  deps: BillingDeps,
  input: ChangePlanInput,
): Promise<Outcome<PlanChangePreview>> {
  const prepared = await changeCommand(deps, input);
  if (!prepared.ok) return prepared;
  const preview = previewDecision(prepared.value.command, prepared.value.state);
  return preview.ok ? ok(preview.preview) : preview;
}

/** An upgrade applies now and bills its proration; a downgrade waits for the period end. */
export async function changePlan(
  deps: BillingDeps,
  input: ChangePlanInput,
  context: CommandContext,
): Promise<Outcome<SubscriptionDone & { readonly timing: 'immediately' | 'at_period_end' }>> {
  const prepared = await changeCommand(deps, input);
  if (!prepared.ok) return prepared;
  const changed = await handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    prepared.value.command,
    step(context, 'change'),
  );
  if (!changed.ok) return changed;
  const timing = changed.events.some((e) => e.type === 'PlanChangeScheduled')
    ? 'at_period_end'
    : 'immediately';
  const settled = await settleSubscription(
    deps,
    { subscriptionId: input.subscriptionId, today: input.today, fromRevision: firstRevision(changed) ?? 0n },
    context,
  );
  return settled.ok ? ok({ ...settled.value, timing }) : settled;
}

/** Cancels at the period end, or now with a credit note for the unused days already billed. */
export async function cancelSubscription(
  deps: BillingDeps,
  input: {
    readonly subscriptionId: string;
    readonly mode: 'immediately' | 'at_period_end';
    readonly reason: CancellationReason;
    readonly today: string;
  },
  context: CommandContext,
): Promise<Outcome<SubscriptionDone>> {
  const canceled = await handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    { type: 'CancelSubscription', ...input },
    step(context, 'cancel'),
  );
  if (!canceled.ok) return canceled;
  return settleSubscription(
    deps,
    { subscriptionId: input.subscriptionId, today: input.today, fromRevision: firstRevision(canceled) ?? 0n },
    context,
  );
}

/**
 * Marks an invoice overdue, and the subscription it bills past due. The second step is also done
 * by the overdue job for any overdue invoice whose subscription is still active, so a crash between
 * the two is completed the next time the job runs.
 */
export async function markOverdue(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<{ readonly invoiceMarked: boolean; readonly subscriptionPastDue: boolean }>> {
  const marked = await markInvoiceOverdue(deps, input, step(context, 'invoice'));
  if (!marked.ok && marked.refusal.code !== 'invoice_already_overdue') return marked;
  const subscriptionPastDue = await markSubscriptionPastDue(deps, input, context);
  if (!subscriptionPastDue.ok) return subscriptionPastDue;
  return ok({ invoiceMarked: marked.ok, subscriptionPastDue: subscriptionPastDue.value });
}

export async function markSubscriptionPastDue(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<boolean>> {
  const subscriptionId = subscriptionOfInvoice(input.invoiceId);
  if (subscriptionId === null) return ok(false);
  const invoice = await loadInvoiceState(deps, input.invoiceId);
  if (invoice.status !== 'overdue') return ok(false);
  const state = await loadSubscription(deps, subscriptionId);
  if (state.status !== 'active') return ok(false);
  const pastDue = await handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(subscriptionId),
    { type: 'MarkPastDue', subscriptionId, invoiceId: input.invoiceId, today: input.today },
    step(context, 'subscription'),
  );
  if (!pastDue.ok) return pastDue.refusal.code === 'subscription_not_active' ? ok(false) : pastDue;
  return ok(pastDue.events.length > 0);
}

/** Suspends a past-due subscription (the dunning job does it 21 days after the due date). */
export async function suspendSubscription(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly today: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    { type: 'SuspendSubscription', ...input },
    context,
  );
}

/** Reinstates a past-due or suspended subscription once its overdue invoice is settled. */
export async function reinstateSubscription(
  deps: BillingDeps,
  input: { readonly subscriptionId: string; readonly today: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    subscriptionDecider,
    subscriptionStreamName(input.subscriptionId),
    { type: 'ReinstateSubscription', ...input },
    context,
  );
}

/**
 * Writes an invoice off as a bad debt; the subscription it bills, if delinquent, is canceled for
 * non-payment (nothing is credited on a written-off invoice).
 */
export async function writeOff(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly reason: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<{ readonly subscriptionCanceled: boolean }>> {
  const written = await writeOffInvoice(deps, input, step(context, 'invoice'));
  if (!written.ok) return written;
  const subscriptionId = subscriptionOfInvoice(input.invoiceId);
  if (subscriptionId === null) return ok({ subscriptionCanceled: false });
  const state = await loadSubscription(deps, subscriptionId);
  if (state.status !== 'past_due' && state.status !== 'suspended') return ok({ subscriptionCanceled: false });
  const canceled = await cancelSubscription(
    deps,
    { subscriptionId, mode: 'immediately', reason: 'non_payment', today: input.today },
    step(context, 'subscription'),
  );
  if (!canceled.ok) return canceled;
  return ok({ subscriptionCanceled: true });
}

export { voidDraft } from './invoicing.ts';

/**
 * Bills every document the subscription's history calls for and that does not exist yet: the
 * completion step of every use case above, and what the jobs run to finish an interrupted one.
 * `fromRevision` skips the history already known settled.
 */
export async function settleSubscription(
  deps: BillingDeps,
  input: {
    readonly subscriptionId: string;
    readonly today: string;
    readonly fromRevision?: bigint;
    /** Skips documents called for by events that happened before this instant (ISO-8601). */
    readonly occurredSince?: string;
  },
  context: CommandContext,
): Promise<Outcome<SubscriptionDone>> {
  const events = await readStreamEvents(deps.store, subscriptionStreamName(input.subscriptionId));
  const invoices: Billed[] = [];
  const creditNotes: string[] = [];
  let state = subscriptionDecider.initialState();
  const currentPeriodInvoices: string[] = [];
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as SubscriptionEvent;
    const before = state;
    state = subscriptionDecider.evolve(state, event);
    const document = documentFor(event, recorded, before, state);
    if (document?.kind === 'invoice') {
      if (event.type !== 'PlanChanged') currentPeriodInvoices.length = 0;
      currentPeriodInvoices.push(document.invoiceId);
    }
    if (input.fromRevision !== undefined && recorded.revision < input.fromRevision) continue;
    if (input.occurredSince !== undefined && recorded.metadata.occurredAt < input.occurredSince) continue;
    if (document === null || state.status === 'none') continue;
    if (document.kind === 'invoice') {
      const billed = await billInvoice(
        deps,
        {
          invoiceId: document.invoiceId,
          tenantId: state.tenantId,
          issuedOn: input.today,
          lines: document.lines,
        },
        context,
      );
      if (!billed.ok) return billed;
      invoices.push(billed.value);
    } else {
      const credited = await creditCurrentPeriod(
        deps,
        { subscriptionId: input.subscriptionId, revision: recorded.revision, amount: document.amount },
        [...currentPeriodInvoices].reverse(),
        input.today,
        context,
      );
      if (!credited.ok) return credited;
      creditNotes.push(...credited.value);
    }
  }
  return ok({ subscriptionId: input.subscriptionId, status: state.status, invoices, creditNotes });
}

type Document =
  | { readonly kind: 'invoice'; readonly invoiceId: string; readonly lines: readonly LineInput[] }
  | { readonly kind: 'credit'; readonly amount: Money };

const lastDay = (end: string): string => addDays(end, -1);

const intervalName = (interval: BillingInterval): string => (interval === 'annual' ? 'annuel' : 'mensuel');

function planLabel(terms: SubscriptionTerms): string {
  return `${terms.planCode.charAt(0).toUpperCase()}${terms.planCode.slice(1)} v${terms.planVersion} (${intervalName(terms.interval)})`;
}

function periodLine(
  terms: SubscriptionTerms,
  period: { readonly start: string; readonly end: string },
  amount: Money,
  from: string = period.start,
): LineInput {
  return {
    lineId: `period-${period.start}`,
    kind: 'subscription_period',
    description: `Abonnement ${planLabel(terms)} du ${from} au ${lastDay(period.end)}`,
    quantity: '1',
    unitPrice: amount,
    period: { from, to: lastDay(period.end) },
  };
}

/** The document an event calls for, or null. */
function documentFor(
  event: SubscriptionEvent,
  recorded: RecordedEvent,
  before: SubscriptionState,
  after: SubscriptionState,
): Document | null {
  if (after.status === 'none') return null;
  const id = after.subscriptionId;
  switch (event.type) {
    case 'SubscriptionStarted': {
      const { period, firstPeriodCharge } = event.data;
      if (period === null || firstPeriodCharge === null) return null;
      const charge = fromMoneyJson(firstPeriodCharge);
      if (!isPositive(charge)) return null;
      const from = event.data.startedOn > period.start ? event.data.startedOn : period.start;
      return {
        kind: 'invoice',
        invoiceId: periodInvoiceId(id, period.start),
        lines: [periodLine(after.terms, period, charge, from)],
      };
    }
    case 'TrialConverted':
    case 'SubscriptionRenewed': {
      const { period } = event.data;
      if (!isPositive(after.terms.price)) return null;
      return {
        kind: 'invoice',
        invoiceId: periodInvoiceId(id, period.start),
        lines: [periodLine(after.terms, period, after.terms.price)],
      };
    }
    case 'PlanChanged': {
      const { proration } = event.data;
      if (proration === null) return null;
      const credit = fromMoneyJson(proration.credit);
      const charge = fromMoneyJson(proration.charge);
      if (!isPositive(subtract(charge, credit))) return null;
      const from = subscriptionTermsFromJson(event.data.from);
      const to = subscriptionTermsFromJson(event.data.to);
      const changedOn = event.data.changedOn;
      const lines: LineInput[] = [];
      if (isPositive(credit)) {
        lines.push({
          lineId: 'credit-unused',
          kind: 'proration',
          description: `Crédit ${planLabel(from)} : ${proration.remainingDays}/${proration.periodDays} jours non utilisés`,
          quantity: '1',
          unitPrice: negate(credit),
          period: { from: changedOn, to: lastDay(proration.period.end) },
        });
      }
      lines.push({
        lineId: 'charge-remaining',
        kind: 'proration',
        description:
          proration.chargedPeriod.start === proration.period.start &&
          proration.chargedPeriod.end === proration.period.end
            ? `${planLabel(to)} : ${proration.remainingDays}/${proration.periodDays} jours restants`
            : `${planLabel(to)} du ${proration.chargedPeriod.start} au ${lastDay(proration.chargedPeriod.end)}`,
        quantity: '1',
        unitPrice: charge,
        period: { from: proration.chargedPeriod.start, to: lastDay(proration.chargedPeriod.end) },
      });
      return { kind: 'invoice', invoiceId: changeInvoiceId(id, recorded.revision), lines };
    }
    case 'SubscriptionCanceled': {
      const { credit } = event.data;
      if (credit === null || before.status === 'trialing') return null;
      const amount = fromMoneyJson(credit.amount);
      return isPositive(amount) ? { kind: 'credit', amount } : null;
    }
    default:
      return null;
  }
}

/**
 * Credits `amount` (before tax) on the invoices that billed the current period, newest first, each
 * up to what is left to credit on it. An invoice that cannot be credited (written off, voided,
 * never issued) is passed over: its debt is not owed anyway.
 */
async function creditCurrentPeriod(
  deps: BillingDeps,
  source: { readonly subscriptionId: string; readonly revision: bigint; readonly amount: Money },
  invoiceIds: readonly string[],
  today: string,
  context: CommandContext,
): Promise<Outcome<string[]>> {
  let left = source.amount;
  const issued: string[] = [];
  for (const [index, invoiceId] of invoiceIds.entries()) {
    if (!isPositive(left)) break;
    const creditNoteId = cancellationCreditNoteId(source.subscriptionId, source.revision, index);
    const invoice = await loadInvoiceState(deps, invoiceId);
    if (!isIssued(invoice)) continue;
    // A retry after a crash finds its credit note issued or started: it completes it as it was.
    const issuedBefore = invoice.account.creditNoteIds.includes(creditNoteId);
    const pending = invoice.account.pendingCreditNotes.find((p) => p.creditNoteId === creditNoteId);
    let net: Money;
    if (pending !== undefined) net = pending.net;
    else if (issuedBefore) net = left;
    else {
      if (invoice.status === 'written_off' || invoice.status === 'credited') continue;
      const creditable = subtract(invoice.invoice.subtotal, invoice.account.creditedNet);
      net = left.amountMinor <= creditable.amountMinor ? left : creditable;
      if (!isPositive(net)) continue;
    }
    const done = await issueCreditNote(
      deps,
      {
        invoiceId,
        creditNoteId,
        issuedOn: today,
        reason: 'Résiliation immédiate : jours non utilisés de la période',
        credit: { kind: 'partial', net },
      },
      context,
    );
    if (!done.ok) {
      if (isPassOver(done.refusal)) continue;
      return done;
    }
    issued.push(done.value.number);
    left = subtract(left, done.value.net);
  }
  return ok(issued);
}

function isPassOver(refusal: Refusal): boolean {
  return [
    'invoice_written_off',
    'invoice_fully_credited',
    'credit_exceeds_invoice',
    'invoice_voided',
  ].includes(refusal.code);
}

/** For the jobs: the folded state and the recorded events of a subscription in one read. */
export async function readSubscription(
  deps: BillingDeps,
  subscriptionId: string,
): Promise<{ readonly state: SubscriptionState; readonly revision: bigint | null }> {
  const events = await readStreamEvents(deps.store, subscriptionStreamName(subscriptionId));
  const state = fold(
    subscriptionDecider,
    events.map((e) => ({ type: e.type, data: e.data }) as SubscriptionEvent),
  );
  return { state, revision: events.at(-1)?.revision ?? null };
}
