import { customerBalanceDecider } from '../../domain/customer-balance/customer-balance.decide.ts';
import {
  type CustomerBalanceState,
  customerBalanceStreamName,
} from '../../domain/customer-balance/customer-balance.ts';
import { invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import {
  type InvoiceEvent,
  type InvoiceState,
  invoiceStreamName,
  isIssued,
  type LineKind,
} from '../../domain/invoice/invoice.ts';
import { fromMoneyJson, isPositive, type Money } from '../../domain/money/index.ts';
import type { CommandContext } from '../command-handler.ts';
import { handleCommand } from '../command-handler.ts';
import { issueInvoice, reserveNumber } from './issue-invoice.ts';
import { type BillingDeps, loadState, type Outcome, ok, readStreamEvents, refused } from './support.ts';
import { loadTenant } from './tenants.ts';

/**
 * Billing a document touches several streams (the invoice, its number series, the customer's
 * balance). Every step's key is derived from the document's own id, never from the caller's key:
 * whoever runs a step — the first call, its retry, or a job completing it days later — writes the
 * same event ids, so the store recognises a repeat and nothing is recorded twice
 * (docs/rfc/004-use-cases.md).
 */

export interface LineInput {
  readonly lineId: string;
  readonly kind: LineKind;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: Money;
  /** Both days included. */
  readonly period: { readonly from: string; readonly to: string } | null;
}

export interface BillInput {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly lines: readonly LineInput[];
  /** The issue date; also "today" for the checks. */
  readonly issuedOn: string;
}

export interface Billed {
  readonly invoiceId: string;
  readonly number: string;
  readonly issuedOn: string;
  readonly creditApplied: Money | null;
}

const billKey = (invoiceId: string, what: string): string => `bill:${invoiceId}:${what}`;

function keyed(context: CommandContext, idempotencyKey: string): CommandContext {
  return { ...context, idempotencyKey };
}

export async function loadInvoiceState(deps: BillingDeps, invoiceId: string): Promise<InvoiceState> {
  return loadState(deps.store, invoiceStreamName(invoiceId), invoiceDecider);
}

/**
 * Drafts an invoice from the tenant's billing profile, adds its lines, issues it with the next
 * gapless number (app/billing/issue-invoice.ts), then applies the customer's credit balance.
 * Running it again for the same invoice id completes whatever an earlier run left undone.
 */
export async function billInvoice(
  deps: BillingDeps,
  input: BillInput,
  context: CommandContext,
): Promise<Outcome<Billed>> {
  const store = deps.store;
  let state = await loadInvoiceState(deps, input.invoiceId);
  if (state.status === 'none') {
    const tenant = await loadTenant(deps, input.tenantId);
    if (tenant.status === 'unregistered') return refused('tenant_not_found', `no tenant ${input.tenantId}`);
    const { details } = tenant;
    const drafted = await handleCommand(
      store,
      invoiceDecider,
      invoiceStreamName(input.invoiceId),
      {
        type: 'CreateDraft',
        invoiceId: input.invoiceId,
        tenantId: input.tenantId,
        currency: details.billingCurrency,
        country: details.country,
        taxExemptionMention: details.taxExempt ? details.taxExemptionNote : null,
        paymentTermsDays: details.paymentTermsDays,
        now: context.occurredAt,
      },
      keyed(context, billKey(input.invoiceId, 'draft')),
    );
    if (!drafted.ok && drafted.refusal.code !== 'invoice_already_exists') return drafted;
    state = await loadInvoiceState(deps, input.invoiceId);
  }
  if (state.status === 'draft') {
    for (const line of input.lines) {
      if (state.draft.lines.some((existing) => existing.lineId === line.lineId)) continue;
      const added = await handleCommand(
        store,
        invoiceDecider,
        invoiceStreamName(input.invoiceId),
        { type: 'AddLine', ...line, now: context.occurredAt },
        keyed(context, billKey(input.invoiceId, `line:${line.lineId}`)),
      );
      if (!added.ok && added.refusal.code !== 'line_id_taken') return added;
    }
  }
  if (state.status === 'voided') return refused('invoice_voided', `invoice ${input.invoiceId} was voided`);
  const issued = isIssued(state)
    ? { ok: true as const, number: state.invoice.number, issuedOn: state.invoice.issuedOn }
    : await issueInvoice(
        store,
        { invoiceId: input.invoiceId, issuedOn: input.issuedOn, today: input.issuedOn },
        keyed(context, billKey(input.invoiceId, 'issue')),
      );
  if (!issued.ok) return issued;
  const credit = await applyCustomerCredit(
    deps,
    { invoiceId: input.invoiceId, tenantId: input.tenantId, today: input.issuedOn },
    context,
  );
  if (!credit.ok) return credit;
  return ok({
    invoiceId: input.invoiceId,
    number: issued.number,
    issuedOn: issued.issuedOn,
    creditApplied: credit.value,
  });
}

/**
 * Applies the customer's credit balance to an invoice, up to its amount due. Two streams: the
 * balance records the application first (it can never go below zero, whatever races it), then the
 * invoice takes it with the same application id. A crash between the two is completed from the
 * balance, which names the invoice; what the invoice cannot take goes back to the balance.
 */
export async function applyCustomerCredit(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly tenantId: string; readonly today: string },
  context: CommandContext,
): Promise<Outcome<Money | null>> {
  const store = deps.store;
  const applicationId = `${input.invoiceId}:credit`;
  const balanceStream = customerBalanceStreamName(input.tenantId);
  let balance = await loadState<Parameters<typeof customerBalanceDecider.evolve>[1], CustomerBalanceState>(
    store,
    balanceStream,
    customerBalanceDecider,
  );
  let application =
    balance.status === 'active'
      ? balance.applications.find((a) => a.applicationId === applicationId)
      : undefined;
  if (application === undefined) {
    if (balance.status !== 'active' || !isPositive(balance.balance)) return ok(null);
    const invoice = await loadInvoiceState(deps, input.invoiceId);
    if (!isIssued(invoice) || invoice.status === 'written_off' || !isPositive(invoice.account.amountDue)) {
      return ok(null);
    }
    const applied = await handleCommand(
      store,
      customerBalanceDecider,
      balanceStream,
      {
        type: 'ApplyCreditBalance',
        tenantId: input.tenantId,
        applicationId,
        invoiceId: input.invoiceId,
        amountDue: invoice.account.amountDue,
        appliedOn: input.today,
        now: context.occurredAt,
      },
      keyed(context, billKey(input.invoiceId, 'credit-balance')),
    );
    if (!applied.ok) {
      if (applied.refusal.code === 'credit_balance_empty' || applied.refusal.code === 'currency_mismatch') {
        return ok(null);
      }
      if (applied.refusal.code !== 'credit_application_already_recorded') return applied;
    }
    balance = await loadState(store, balanceStream, customerBalanceDecider);
    application =
      balance.status === 'active'
        ? balance.applications.find((a) => a.applicationId === applicationId)
        : undefined;
    if (application === undefined) return ok(null);
  }
  const taken = await handleCommand(
    store,
    invoiceDecider,
    invoiceStreamName(input.invoiceId),
    {
      type: 'ApplyCustomerCredit',
      applicationId,
      amount: application.amount,
      appliedOn: input.today,
      now: context.occurredAt,
    },
    keyed(context, billKey(input.invoiceId, 'credit-invoice')),
  );
  let excess: Money | null = null;
  if (taken.ok) {
    const event = taken.events.find((e) => e.type === 'InvoiceCustomerCreditApplied');
    if (event?.type === 'InvoiceCustomerCreditApplied') excess = fromMoneyJson(event.data.excess);
  } else if (taken.refusal.code === 'customer_credit_already_applied') {
    const events = await readStreamEvents(store, invoiceStreamName(input.invoiceId));
    const found = events.find(
      (e) =>
        e.type === 'InvoiceCustomerCreditApplied' &&
        (e.data as { applicationId: string }).applicationId === applicationId,
    );
    if (found !== undefined) {
      excess = fromMoneyJson(
        (found.data as Extract<InvoiceEvent, { type: 'InvoiceCustomerCreditApplied' }>['data']).excess,
      );
    }
  } else {
    // The invoice could take nothing (settled, voided or written off meanwhile): all of it goes back.
    excess = application.amount;
  }
  if (excess !== null && isPositive(excess)) {
    const returned = await handleCommand(
      store,
      customerBalanceDecider,
      balanceStream,
      {
        type: 'IncreaseCreditBalance',
        tenantId: input.tenantId,
        source: 'unapplied_credit',
        sourceId: applicationId,
        invoiceId: input.invoiceId,
        amount: excess,
        increasedOn: input.today,
        now: context.occurredAt,
      },
      keyed(context, billKey(input.invoiceId, 'credit-returned')),
    );
    if (!returned.ok && returned.refusal.code !== 'credit_source_already_recorded') return returned;
  }
  const kept = excess === null ? application.amount : subtractMinor(application.amount, excess);
  return ok(isPositive(kept) ? kept : null);
}

function subtractMinor(a: Money, b: Money): Money {
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

export interface CreditNoteInput {
  readonly invoiceId: string;
  readonly creditNoteId: string;
  readonly issuedOn: string;
  readonly reason: string;
  readonly credit: { readonly kind: 'full' } | { readonly kind: 'partial'; readonly net: Money };
}

export interface CreditNoteDone {
  readonly creditNoteId: string;
  readonly number: string;
  /** What it credited before tax. */
  readonly net: Money;
  readonly toCustomerBalance: Money;
}

/**
 * Issues a credit note in three steps, like an invoice (docs/rfc/003-invoice-numbering.md): settle
 * its content on the invoice (`StartCreditNote`), reserve its `AV` number, complete it; then the
 * part of it the customer had already paid goes to the customer's balance. Keys derive from the
 * credit note id, so running it again completes an interrupted issue.
 */
export async function issueCreditNote(
  deps: BillingDeps,
  input: CreditNoteInput,
  context: CommandContext,
): Promise<Outcome<CreditNoteDone>> {
  const store = deps.store;
  const stream = invoiceStreamName(input.invoiceId);
  const key = (what: string) => keyed(context, `credit-note:${input.creditNoteId}:${what}`);
  let done = await creditNoteIssued(deps, input.invoiceId, input.creditNoteId);
  if (done === null) {
    const started = await handleCommand(
      store,
      invoiceDecider,
      stream,
      {
        type: 'StartCreditNote',
        creditNoteId: input.creditNoteId,
        issuedOn: input.issuedOn,
        today: input.issuedOn,
        reason: input.reason,
        credit: input.credit,
        now: context.occurredAt,
      },
      key('start'),
    );
    if (!started.ok && started.refusal.code !== 'credit_note_already_issued') return started;
    const reserved = await reserveNumber(
      store,
      {
        series: 'AV',
        invoiceId: input.invoiceId,
        creditNoteId: input.creditNoteId,
        issuedOn: input.issuedOn,
      },
      key('number'),
    );
    if (!reserved.ok) return reserved;
    const completed = await handleCommand(
      store,
      invoiceDecider,
      stream,
      {
        type: 'CompleteCreditNote',
        creditNoteId: input.creditNoteId,
        number: reserved.assignment.number,
        today: input.issuedOn < reserved.assignment.issuedOn ? reserved.assignment.issuedOn : input.issuedOn,
        now: context.occurredAt,
      },
      key('complete'),
    );
    if (!completed.ok && completed.refusal.code !== 'credit_note_already_issued') return completed;
    done = await creditNoteIssued(deps, input.invoiceId, input.creditNoteId);
    if (done === null) throw new Error(`credit note ${input.creditNoteId} did not complete`);
  }
  if (isPositive(done.toCustomerBalance)) {
    const invoice = await loadInvoiceState(deps, input.invoiceId);
    if (!isIssued(invoice)) throw new Error(`credit note on unissued invoice ${input.invoiceId}`);
    const increased = await handleCommand(
      store,
      customerBalanceDecider,
      customerBalanceStreamName(invoice.invoice.tenantId),
      {
        type: 'IncreaseCreditBalance',
        tenantId: invoice.invoice.tenantId,
        source: 'credit_note',
        sourceId: input.creditNoteId,
        invoiceId: input.invoiceId,
        amount: done.toCustomerBalance,
        increasedOn: input.issuedOn,
        now: context.occurredAt,
      },
      key('balance'),
    );
    if (!increased.ok && increased.refusal.code !== 'credit_source_already_recorded') return increased;
  }
  return ok(done);
}

async function creditNoteIssued(
  deps: BillingDeps,
  invoiceId: string,
  creditNoteId: string,
): Promise<CreditNoteDone | null> {
  const events = await readStreamEvents(deps.store, invoiceStreamName(invoiceId));
  for (const event of events) {
    if (event.type !== 'CreditNoteIssued') continue;
    const data = event.data as Extract<InvoiceEvent, { type: 'CreditNoteIssued' }>['data'];
    if (data.creditNoteId !== creditNoteId) continue;
    return {
      creditNoteId,
      number: data.number,
      net: fromMoneyJson(data.net),
      toCustomerBalance: fromMoneyJson(data.toCustomerBalance),
    };
  }
  return null;
}

/** Marks an issued invoice overdue once its due date has passed unpaid. */
export async function markInvoiceOverdue(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly today: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    invoiceDecider,
    invoiceStreamName(input.invoiceId),
    { type: 'MarkOverdue', today: input.today, now: context.occurredAt },
    context,
  );
}

/** Writes an unpaid invoice off as a bad debt, with a reason. */
export async function writeOffInvoice(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly reason: string; readonly today: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    invoiceDecider,
    invoiceStreamName(input.invoiceId),
    { type: 'WriteOff', reason: input.reason, writtenOffOn: input.today, now: context.occurredAt },
    context,
  );
}

/** Voids a draft (only a draft: an issued invoice is corrected by a credit note). */
export async function voidDraft(
  deps: BillingDeps,
  input: { readonly invoiceId: string; readonly reason: string },
  context: CommandContext,
) {
  return handleCommand(
    deps.store,
    invoiceDecider,
    invoiceStreamName(input.invoiceId),
    { type: 'Void', reason: input.reason, now: context.occurredAt },
    context,
  );
}
