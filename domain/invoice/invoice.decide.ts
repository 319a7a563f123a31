import {
  add,
  type CurrencyCode,
  isZero,
  type Money,
  min,
  multiply,
  subtract,
  toMoneyJson,
  zero,
} from '../money/index.ts';
import { accept, assertNever, type Decider, type Decision, refuse } from '../shared/decider.ts';
import { addDays, type CalendarDate, isAfter, isBefore, isCalendarDate, yearOf } from './calendar.ts';
import {
  creditNotesPerInvoiceMax,
  type Draft,
  type DraftLine,
  evolve,
  type InvoiceEvent,
  type InvoiceState,
  initialState,
  isIssued,
  type LineKind,
  linesPerInvoiceMax,
  type OpenInvoiceState,
  paymentsPerInvoiceMax,
  paymentTermsDaysDefault,
  paymentTermsDaysMax,
  quantitySchema,
} from './invoice.ts';
import { type NumberSeries, parseDocumentNumber } from './numbering.ts';
import { creditNoteTax, invoiceTax, taxRateOn } from './tax.ts';

/**
 * Commands carry everything `decide` may not look up itself: time (`now` for the record, `today`
 * and the other calendar dates in the tenant's time zone), ids, the number the numbering stream
 * assigned, and the tenant's billing profile at draft time.
 */
export type InvoiceCommand =
  | {
      readonly type: 'CreateDraft';
      readonly invoiceId: string;
      readonly tenantId: string;
      readonly currency: CurrencyCode;
      readonly country: string;
      /** The mention printed on the invoice of a tax-exempt tenant; null when the tenant is taxable. */
      readonly taxExemptionMention: string | null;
      /** The tenant's payment terms; omitted means the default of 15 days. */
      readonly paymentTermsDays?: number;
      readonly now: string;
    }
  | {
      readonly type: 'AddLine';
      readonly lineId: string;
      readonly kind: LineKind;
      readonly description: string;
      readonly quantity: string;
      readonly unitPrice: Money;
      readonly period: { readonly from: CalendarDate; readonly to: CalendarDate } | null;
      readonly now: string;
    }
  | { readonly type: 'RemoveLine'; readonly lineId: string; readonly now: string }
  | {
      /** Freezes the draft before a number is reserved; checks everything `Issue` checks but the number. */
      readonly type: 'StartIssue';
      readonly issuedOn: CalendarDate;
      readonly today: CalendarDate;
      readonly now: string;
    }
  | {
      readonly type: 'Issue';
      /** Assigned by the `F` series stream for this invoice (numbering.decide.ts). */
      readonly number: string;
      readonly issuedOn: CalendarDate;
      readonly today: CalendarDate;
      readonly now: string;
    }
  | {
      readonly type: 'ApplyPayment';
      readonly paymentId: string;
      readonly amount: Money;
      readonly appliedOn: CalendarDate;
      readonly now: string;
    }
  | {
      readonly type: 'ApplyCustomerCredit';
      /** The `CreditBalanceApplied` application this completes. */
      readonly applicationId: string;
      readonly amount: Money;
      readonly appliedOn: CalendarDate;
      readonly now: string;
    }
  | { readonly type: 'MarkOverdue'; readonly today: CalendarDate; readonly now: string }
  | {
      readonly type: 'WriteOff';
      readonly reason: string;
      readonly writtenOffOn: CalendarDate;
      readonly now: string;
    }
  | { readonly type: 'Void'; readonly reason: string; readonly now: string }
  | {
      /**
       * Settles a credit note's content before its `AV` number is reserved, so that a crash after
       * the reservation can be completed (`CompleteCreditNote`) with nothing but the number.
       */
      readonly type: 'StartCreditNote';
      readonly creditNoteId: string;
      readonly issuedOn: CalendarDate;
      readonly today: CalendarDate;
      readonly reason: string;
      readonly credit: { readonly kind: 'full' } | { readonly kind: 'partial'; readonly net: Money };
      readonly now: string;
    }
  | {
      /** Issues a started credit note with the number the `AV` series assigned it. */
      readonly type: 'CompleteCreditNote';
      readonly creditNoteId: string;
      readonly number: string;
      readonly today: CalendarDate;
      readonly now: string;
    }
  | {
      /** Issues a credit note in one step, when its number is already known. */
      readonly type: 'IssueCreditNote';
      readonly creditNoteId: string;
      /** Assigned by the `AV` series stream for this credit note. */
      readonly number: string;
      readonly issuedOn: CalendarDate;
      readonly today: CalendarDate;
      readonly reason: string;
      /** `full` credits everything not yet credited; `partial` credits a net (pre-tax) amount. */
      readonly credit: { readonly kind: 'full' } | { readonly kind: 'partial'; readonly net: Money };
      readonly now: string;
    };

/**
 * The closed vocabulary of refusals, in the order the checks run: whatever the command, a rule
 * higher in this list is reported before any rule below it. `invoice.decide.unit.spec.ts` proves
 * the order with one table.
 */
export const invoiceRefusalCodes = [
  'invoice_not_found',
  'invoice_already_exists',
  'invoice_voided',
  'invoice_written_off',
  'invoice_not_draft',
  'invoice_already_issued',
  'invoice_not_issued',
  'payment_already_applied',
  'customer_credit_already_applied',
  'credit_note_already_issued',
  'credit_note_not_started',
  'credit_note_pending',
  'invoice_fully_credited',
  'currency_mismatch',
  'amount_not_positive',
  'payment_terms_invalid',
  'country_invalid',
  'invoice_limit_reached',
  'line_id_taken',
  'line_not_found',
  'line_quantity_invalid',
  'line_amount_sign_invalid',
  'line_period_invalid',
  'text_invalid',
  'number_invalid',
  'issue_date_in_future',
  'issue_date_before_invoice',
  'tax_rate_unknown',
  'invoice_has_no_lines',
  'invoice_total_negative',
  'invoice_settled',
  'invoice_already_overdue',
  'invoice_not_yet_due',
  'credit_exceeds_invoice',
] as const;
export type InvoiceRefusalCode = (typeof invoiceRefusalCodes)[number];

type InvoiceDecision = Decision<InvoiceEvent, InvoiceRefusalCode>;
type Refused = Extract<InvoiceDecision, { ok: false }>;

const textLengthMax = 500;

function textProblem(value: string, field: string): Refused | null {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > textLengthMax) {
    return refuse('text_invalid', `${field} must have 1 to ${textLengthMax} characters`, field);
  }
  return null;
}

/** The lifecycle checks shared by every command on a draft (rules 1, 3, 4, 5). */
function requireDraft(state: InvoiceState): Draft | Refused {
  switch (state.status) {
    case 'none':
      return refuse('invoice_not_found', 'no such invoice');
    case 'voided':
      return refuse('invoice_voided', 'the invoice was voided');
    case 'written_off':
      return refuse('invoice_written_off', 'the invoice was written off');
    case 'draft':
      return state.draft;
    case 'issuing':
      return refuse('invoice_not_draft', 'the invoice is being issued: it can no longer change');
    case 'issued':
    case 'partially_paid':
    case 'overdue':
    case 'paid':
    case 'credited':
      return refuse(
        'invoice_not_draft',
        `the invoice is ${state.status.replace('_', ' ')}: once issued it never changes`,
      );
    default:
      return assertNever(state, 'invoice state');
  }
}

/** The lifecycle checks shared by every command on an issued invoice (rules 1, 3, 4, 7). */
function requireIssued(state: InvoiceState): Exclude<OpenInvoiceState, { status: 'written_off' }> | Refused {
  switch (state.status) {
    case 'none':
      return refuse('invoice_not_found', 'no such invoice');
    case 'voided':
      return refuse('invoice_voided', 'the invoice was voided');
    case 'written_off':
      return refuse('invoice_written_off', 'the invoice was written off');
    case 'draft':
    case 'issuing':
      return refuse('invoice_not_issued', 'the invoice is not issued yet');
    case 'issued':
    case 'partially_paid':
    case 'overdue':
    case 'paid':
    case 'credited':
      return state;
    default:
      return assertNever(state, 'invoice state');
  }
}

function isRefused<T extends object>(value: T | Refused): value is Refused {
  return 'ok' in value && value.ok === false;
}

function numberProblem(number: string, series: NumberSeries, issuedOn: CalendarDate): Refused | null {
  const parsed = parseDocumentNumber(number);
  if (parsed === null || parsed.series !== series || parsed.year !== yearOf(issuedOn)) {
    return refuse('number_invalid', `expected a ${series}-${yearOf(issuedOn)}-NNNNNN number`, 'number');
  }
  return null;
}

/** Kinds whose unit price has a fixed sign: a discount takes money off, the others add it. */
function signProblem(kind: LineKind, unitPrice: Money): Refused | null {
  switch (kind) {
    case 'discount':
      return unitPrice.amountMinor < 0n
        ? null
        : refuse('line_amount_sign_invalid', 'a discount line has a negative unit price', 'unitPrice');
    case 'proration':
      // A proration is a credit for unused days or a charge for the remaining ones: either sign.
      return null;
    case 'subscription_period':
    case 'usage':
    case 'one_off':
      return unitPrice.amountMinor >= 0n
        ? null
        : refuse('line_amount_sign_invalid', `a ${kind} line has a unit price of zero or more`, 'unitPrice');
    default:
      return assertNever(kind, 'line kind');
  }
}

function periodRequired(kind: LineKind): boolean {
  return kind === 'subscription_period' || kind === 'proration' || kind === 'usage';
}

/**
 * The line amount: quantity × unit price, exact, rounded once half-up (halves away from zero) to
 * a whole minor unit. Recorded in the event, so the rule applies once, when the line is added.
 */
export function lineAmount(quantity: string, unitPrice: Money): Money {
  return multiply(unitPrice, quantity, 'half_up');
}

export interface InvoiceTotals {
  readonly subtotal: Money;
  readonly tax: Money;
  readonly total: Money;
}

/** Subtotal = Σ line amounts; tax = round_half_up(subtotal × rate), once per invoice; total = both. */
export function invoiceTotals(
  currency: CurrencyCode,
  lines: readonly Pick<DraftLine, 'amount'>[],
  ratePercent: string,
): InvoiceTotals {
  let subtotal = zero(currency);
  for (const line of lines) subtotal = add(subtotal, line.amount);
  const tax = invoiceTax(subtotal, ratePercent);
  return { subtotal, tax, total: add(subtotal, tax) };
}

function decideCreateDraft(
  command: Extract<InvoiceCommand, { type: 'CreateDraft' }>,
  state: InvoiceState,
): InvoiceDecision {
  if (state.status !== 'none') return refuse('invoice_already_exists', 'this invoice id is taken');
  const paymentTermsDays = command.paymentTermsDays ?? paymentTermsDaysDefault;
  if (!Number.isInteger(paymentTermsDays) || paymentTermsDays < 0 || paymentTermsDays > paymentTermsDaysMax) {
    return refuse(
      'payment_terms_invalid',
      `payment terms are 0 to ${paymentTermsDaysMax} days`,
      'paymentTermsDays',
    );
  }
  if (!/^[A-Z]{2}$/.test(command.country)) {
    return refuse('country_invalid', 'an ISO 3166-1 alpha-2 country code', 'country');
  }
  if (command.taxExemptionMention !== null) {
    const problem = textProblem(command.taxExemptionMention, 'taxExemptionMention');
    if (problem !== null) return problem;
  }
  return accept({
    type: 'InvoiceDrafted',
    data: {
      invoiceId: command.invoiceId,
      tenantId: command.tenantId,
      currency: command.currency,
      country: command.country,
      taxExemptionMention: command.taxExemptionMention?.trim() ?? null,
      paymentTermsDays,
      draftedAt: command.now,
    },
  });
}

function decideAddLine(
  command: Extract<InvoiceCommand, { type: 'AddLine' }>,
  state: InvoiceState,
): InvoiceDecision {
  const draft = requireDraft(state);
  if (isRefused(draft)) return draft;
  if (command.unitPrice.currency !== draft.currency) {
    return refuse('currency_mismatch', `the invoice is in ${draft.currency}`, 'unitPrice');
  }
  if (draft.lines.length >= linesPerInvoiceMax) {
    return refuse('invoice_limit_reached', `an invoice has at most ${linesPerInvoiceMax} lines`);
  }
  if (draft.lines.some((line) => line.lineId === command.lineId)) {
    return refuse('line_id_taken', 'the invoice already has this line', 'lineId');
  }
  if (!quantitySchema.safeParse(command.quantity).success) {
    return refuse('line_quantity_invalid', 'a positive decimal with at most 6 decimals', 'quantity');
  }
  const sign = signProblem(command.kind, command.unitPrice);
  if (sign !== null) return sign;
  const { period } = command;
  if (period === null ? periodRequired(command.kind) : !isPeriod(period)) {
    return refuse('line_period_invalid', `a ${command.kind} line needs a period from ≤ to`, 'period');
  }
  const description = textProblem(command.description, 'description');
  if (description !== null) return description;
  return accept({
    type: 'InvoiceLineAdded',
    data: {
      invoiceId: draft.invoiceId,
      lineId: command.lineId,
      kind: command.kind,
      description: command.description.trim(),
      quantity: command.quantity,
      unitPrice: toMoneyJson(command.unitPrice),
      amount: toMoneyJson(lineAmount(command.quantity, command.unitPrice)),
      period: period === null ? null : { from: period.from, to: period.to },
    },
  });
}

function isPeriod(period: { readonly from: string; readonly to: string }): boolean {
  return isCalendarDate(period.from) && isCalendarDate(period.to) && !isAfter(period.from, period.to);
}

function decideRemoveLine(
  command: Extract<InvoiceCommand, { type: 'RemoveLine' }>,
  state: InvoiceState,
): InvoiceDecision {
  const draft = requireDraft(state);
  if (isRefused(draft)) return draft;
  if (!draft.lines.some((line) => line.lineId === command.lineId)) {
    return refuse('line_not_found', 'the draft has no such line', 'lineId');
  }
  return accept({ type: 'InvoiceLineRemoved', data: { invoiceId: draft.invoiceId, lineId: command.lineId } });
}

/** What `StartIssue` and `Issue` both check, in the vocabulary's order, and the totals they lead to. */
function issueChecks(
  state: InvoiceState,
  number: string | null,
  issuedOn: CalendarDate,
  today: CalendarDate,
): { draft: Draft; ratePercent: string; totals: InvoiceTotals } | Refused {
  if (isIssued(state) && state.status !== 'written_off') {
    return refuse('invoice_already_issued', `the invoice was issued as ${state.invoice.number}`);
  }
  const draft = state.status === 'issuing' ? state.draft : requireDraft(state);
  if (isRefused(draft)) return draft;
  if (number !== null) {
    const numbering = numberProblem(number, 'F', issuedOn);
    if (numbering !== null) return numbering;
  }
  if (isAfter(issuedOn, today)) {
    return refuse('issue_date_in_future', 'an invoice is not issued ahead of time', 'issuedOn');
  }
  const exempt = draft.taxExemptionMention !== null;
  const rate = exempt ? null : taxRateOn(draft.country, issuedOn);
  if (!exempt && rate === null) {
    return refuse('tax_rate_unknown', `no tax rate for ${draft.country} on ${issuedOn}`);
  }
  if (draft.lines.length === 0) return refuse('invoice_has_no_lines', 'an invoice bills at least one line');
  const ratePercent = rate === null ? '0' : rate.ratePercent;
  const totals = invoiceTotals(draft.currency, draft.lines, ratePercent);
  if (totals.subtotal.amountMinor < 0n) {
    return refuse('invoice_total_negative', 'a negative invoice is a credit note: issue one instead');
  }
  return { draft, ratePercent, totals };
}

function decideStartIssue(
  command: Extract<InvoiceCommand, { type: 'StartIssue' }>,
  state: InvoiceState,
): InvoiceDecision {
  const checked = issueChecks(state, null, command.issuedOn, command.today);
  if (isRefused(checked)) return checked;
  // Already frozen by an earlier attempt: nothing new to record, the caller carries on.
  if (state.status === 'issuing') return accept<InvoiceEvent>();
  return accept({
    type: 'InvoiceIssueStarted',
    data: { invoiceId: checked.draft.invoiceId, issuedOn: command.issuedOn, startedAt: command.now },
  });
}

function decideIssue(
  command: Extract<InvoiceCommand, { type: 'Issue' }>,
  state: InvoiceState,
): InvoiceDecision {
  const checked = issueChecks(state, command.number, command.issuedOn, command.today);
  if (isRefused(checked)) return checked;
  const { draft, ratePercent, totals } = checked;
  const issued: InvoiceEvent = {
    type: 'InvoiceIssued',
    data: {
      invoiceId: draft.invoiceId,
      tenantId: draft.tenantId,
      number: command.number,
      issuedOn: command.issuedOn,
      dueOn: addDays(command.issuedOn, draft.paymentTermsDays),
      taxRatePercent: ratePercent,
      taxExemptionMention: draft.taxExemptionMention,
      subtotal: toMoneyJson(totals.subtotal),
      tax: toMoneyJson(totals.tax),
      total: toMoneyJson(totals.total),
      issuedAt: command.now,
    },
  };
  // A zero invoice (a fully discounted period) owes nothing from the day it is issued.
  if (isZero(totals.total)) {
    return accept<InvoiceEvent>(issued, {
      type: 'InvoicePaid',
      data: { invoiceId: draft.invoiceId, paidOn: command.issuedOn, paidAt: command.now },
    });
  }
  return accept(issued);
}

/**
 * Applies money offered by a payment or by the customer's credit balance: at most the amount due,
 * never twice from the same source. The rest is reported as `excess` for the caller to credit.
 */
function decideSettlement(
  command: Extract<InvoiceCommand, { type: 'ApplyPayment' | 'ApplyCustomerCredit' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  const { account, invoice } = open;
  if (command.type === 'ApplyPayment' && account.paymentIds.includes(command.paymentId)) {
    return refuse('payment_already_applied', 'this payment was already applied to the invoice', 'paymentId');
  }
  if (
    command.type === 'ApplyCustomerCredit' &&
    account.creditApplicationIds.includes(command.applicationId)
  ) {
    return refuse('customer_credit_already_applied', 'this credit was already applied', 'applicationId');
  }
  if (command.amount.currency !== invoice.currency) {
    return refuse('currency_mismatch', `the invoice is in ${invoice.currency}`, 'amount');
  }
  if (command.amount.amountMinor <= 0n) return refuse('amount_not_positive', 'nothing to apply', 'amount');
  if (account.paymentIds.length + account.creditApplicationIds.length >= paymentsPerInvoiceMax) {
    return refuse('invoice_limit_reached', `an invoice takes at most ${paymentsPerInvoiceMax} settlements`);
  }
  if (isZero(account.amountDue)) return refuse('invoice_settled', 'nothing is due on this invoice');
  const applied = min(command.amount, account.amountDue);
  const excess = subtract(command.amount, applied);
  const dueAfter = subtract(account.amountDue, applied);
  const event: InvoiceEvent =
    command.type === 'ApplyPayment'
      ? {
          type: 'InvoicePaymentApplied',
          data: {
            invoiceId: invoice.invoiceId,
            paymentId: command.paymentId,
            amountReceived: toMoneyJson(command.amount),
            amountApplied: toMoneyJson(applied),
            excess: toMoneyJson(excess),
            amountDueAfter: toMoneyJson(dueAfter),
            appliedOn: command.appliedOn,
            appliedAt: command.now,
          },
        }
      : {
          type: 'InvoiceCustomerCreditApplied',
          data: {
            invoiceId: invoice.invoiceId,
            applicationId: command.applicationId,
            amountOffered: toMoneyJson(command.amount),
            amountApplied: toMoneyJson(applied),
            excess: toMoneyJson(excess),
            amountDueAfter: toMoneyJson(dueAfter),
            appliedOn: command.appliedOn,
            appliedAt: command.now,
          },
        };
  if (!isZero(dueAfter)) return accept(event);
  return accept<InvoiceEvent>(event, {
    type: 'InvoicePaid',
    data: { invoiceId: invoice.invoiceId, paidOn: command.appliedOn, paidAt: command.now },
  });
}

function decideMarkOverdue(
  command: Extract<InvoiceCommand, { type: 'MarkOverdue' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  if (isZero(open.account.amountDue)) return refuse('invoice_settled', 'nothing is due on this invoice');
  if (open.status === 'overdue') return refuse('invoice_already_overdue', `overdue since ${open.overdueOn}`);
  if (!isAfter(command.today, open.invoice.dueOn)) {
    return refuse('invoice_not_yet_due', `the invoice falls due on ${open.invoice.dueOn}`, 'today');
  }
  return accept({
    type: 'InvoiceMarkedOverdue',
    data: {
      invoiceId: open.invoice.invoiceId,
      dueOn: open.invoice.dueOn,
      overdueOn: command.today,
      amountDue: toMoneyJson(open.account.amountDue),
      markedAt: command.now,
    },
  });
}

function decideWriteOff(
  command: Extract<InvoiceCommand, { type: 'WriteOff' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  if (open.account.pendingCreditNotes.length > 0) {
    // A started credit note has a number reserved or on its way: it must be issued first.
    return refuse('credit_note_pending', 'a credit note on this invoice is being issued');
  }
  const reason = textProblem(command.reason, 'reason');
  if (reason !== null) return reason;
  if (isZero(open.account.amountDue)) return refuse('invoice_settled', 'nothing is due on this invoice');
  return accept({
    type: 'InvoiceWrittenOff',
    data: {
      invoiceId: open.invoice.invoiceId,
      reason: command.reason.trim(),
      amountWrittenOff: toMoneyJson(open.account.amountDue),
      writtenOffOn: command.writtenOffOn,
      writtenOffAt: command.now,
    },
  });
}

function decideVoid(
  command: Extract<InvoiceCommand, { type: 'Void' }>,
  state: InvoiceState,
): InvoiceDecision {
  const draft = requireDraft(state);
  if (isRefused(draft)) return draft;
  const reason = textProblem(command.reason, 'reason');
  if (reason !== null) return reason;
  return accept({
    type: 'InvoiceVoided',
    data: { invoiceId: draft.invoiceId, reason: command.reason.trim(), voidedAt: command.now },
  });
}

type CreditRequest = { readonly kind: 'full' } | { readonly kind: 'partial'; readonly net: Money };
type OpenInvoice = Exclude<OpenInvoiceState, { status: 'written_off' }>;

function pendingNet(open: OpenInvoice): Money {
  let total = zero(open.invoice.currency);
  for (const pending of open.account.pendingCreditNotes) total = add(total, pending.net);
  return total;
}

/**
 * The checks shared by `StartCreditNote` and `IssueCreditNote`, after the id checks, in the
 * vocabulary's order; returns the net to credit. What is left to credit excludes credit notes
 * already started, so credit notes in flight cannot together exceed the invoice.
 */
function creditNoteChecks(
  open: OpenInvoice,
  request: {
    readonly credit: CreditRequest;
    readonly reason: string;
    readonly number: string | null;
    readonly issuedOn: CalendarDate;
    readonly today: CalendarDate;
  },
): Money | Refused {
  const { account, invoice } = open;
  const remainingNet = subtract(subtract(invoice.subtotal, account.creditedNet), pendingNet(open));
  if (remainingNet.amountMinor <= 0n) return refuse('invoice_fully_credited', 'nothing is left to credit');
  const { credit } = request;
  if (credit.kind === 'partial') {
    if (credit.net.currency !== invoice.currency) {
      return refuse('currency_mismatch', `the invoice is in ${invoice.currency}`, 'credit.net');
    }
    if (credit.net.amountMinor <= 0n) {
      return refuse('amount_not_positive', 'a credit note credits something', 'credit.net');
    }
  }
  if (account.creditNoteIds.length + account.pendingCreditNotes.length >= creditNotesPerInvoiceMax) {
    return refuse(
      'invoice_limit_reached',
      `an invoice takes at most ${creditNotesPerInvoiceMax} credit notes`,
    );
  }
  const reason = textProblem(request.reason, 'reason');
  if (reason !== null) return reason;
  if (request.number !== null) {
    const numbering = numberProblem(request.number, 'AV', request.issuedOn);
    if (numbering !== null) return numbering;
  }
  if (isAfter(request.issuedOn, request.today)) {
    return refuse('issue_date_in_future', 'a credit note is not issued ahead of time', 'issuedOn');
  }
  if (isBefore(request.issuedOn, invoice.issuedOn)) {
    return refuse('issue_date_before_invoice', `the invoice was issued on ${invoice.issuedOn}`, 'issuedOn');
  }
  const net = credit.kind === 'full' ? remainingNet : credit.net;
  if (net.amountMinor > remainingNet.amountMinor) {
    return refuse(
      'credit_exceeds_invoice',
      `at most ${remainingNet.amountMinor} is left to credit`,
      'credit.net',
    );
  }
  return net;
}

/** The events of a credit note's issue: its amounts, and `InvoicePaid` when it settles the rest. */
function creditNoteEvents(
  open: OpenInvoice,
  note: {
    readonly creditNoteId: string;
    readonly number: string;
    readonly issuedOn: CalendarDate;
    readonly reason: string;
    readonly net: Money;
    readonly now: string;
  },
): InvoiceDecision {
  const { account, invoice } = open;
  const tax = creditNoteTax(account.creditedNet, note.net, invoice.taxRatePercent);
  const total = add(note.net, tax);
  const appliedToAmountDue = min(total, account.amountDue);
  const amountDueAfter = subtract(account.amountDue, appliedToAmountDue);
  const issued: InvoiceEvent = {
    type: 'CreditNoteIssued',
    data: {
      invoiceId: invoice.invoiceId,
      creditNoteId: note.creditNoteId,
      number: note.number,
      invoiceNumber: invoice.number,
      issuedOn: note.issuedOn,
      reason: note.reason.trim(),
      net: toMoneyJson(note.net),
      tax: toMoneyJson(tax),
      total: toMoneyJson(total),
      appliedToAmountDue: toMoneyJson(appliedToAmountDue),
      toCustomerBalance: toMoneyJson(subtract(total, appliedToAmountDue)),
      amountDueAfter: toMoneyJson(amountDueAfter),
      issuedAt: note.now,
    },
  };
  const whollyCredited = add(account.creditedTotal, total).amountMinor === invoice.total.amountMinor;
  // The credit note settled what was left to pay without cancelling the whole invoice: it is paid.
  if (!isZero(account.amountDue) && isZero(amountDueAfter) && !whollyCredited) {
    return accept<InvoiceEvent>(issued, {
      type: 'InvoicePaid',
      data: { invoiceId: invoice.invoiceId, paidOn: note.issuedOn, paidAt: note.now },
    });
  }
  return accept(issued);
}

function decideStartCreditNote(
  command: Extract<InvoiceCommand, { type: 'StartCreditNote' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  if (open.account.creditNoteIds.includes(command.creditNoteId)) {
    return refuse('credit_note_already_issued', 'this credit note was already issued', 'creditNoteId');
  }
  // Started by an earlier attempt: nothing new to record, the caller carries on with the number.
  if (open.account.pendingCreditNotes.some((pending) => pending.creditNoteId === command.creditNoteId)) {
    return accept<InvoiceEvent>();
  }
  const net = creditNoteChecks(open, { ...command, number: null });
  if (isRefused(net)) return net;
  return accept({
    type: 'CreditNoteStarted',
    data: {
      invoiceId: open.invoice.invoiceId,
      creditNoteId: command.creditNoteId,
      issuedOn: command.issuedOn,
      reason: command.reason.trim(),
      net: toMoneyJson(net),
      startedAt: command.now,
    },
  });
}

function decideCompleteCreditNote(
  command: Extract<InvoiceCommand, { type: 'CompleteCreditNote' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  if (open.account.creditNoteIds.includes(command.creditNoteId)) {
    return refuse('credit_note_already_issued', 'this credit note was already issued', 'creditNoteId');
  }
  const pending = open.account.pendingCreditNotes.find(
    (candidate) => candidate.creditNoteId === command.creditNoteId,
  );
  if (pending === undefined) {
    return refuse('credit_note_not_started', 'start the credit note before numbering it', 'creditNoteId');
  }
  const numbering = numberProblem(command.number, 'AV', pending.issuedOn);
  if (numbering !== null) return numbering;
  if (isAfter(pending.issuedOn, command.today)) {
    return refuse('issue_date_in_future', 'a credit note is not issued ahead of time', 'today');
  }
  // Everything else was checked at the start, and what is left to credit already excludes this net.
  return creditNoteEvents(open, { ...pending, number: command.number, now: command.now });
}

function decideIssueCreditNote(
  command: Extract<InvoiceCommand, { type: 'IssueCreditNote' }>,
  state: InvoiceState,
): InvoiceDecision {
  const open = requireIssued(state);
  if (isRefused(open)) return open;
  const { account } = open;
  if (
    account.creditNoteIds.includes(command.creditNoteId) ||
    account.pendingCreditNotes.some((pending) => pending.creditNoteId === command.creditNoteId)
  ) {
    return refuse(
      'credit_note_already_issued',
      'this credit note was already issued or started',
      'creditNoteId',
    );
  }
  const net = creditNoteChecks(open, command);
  if (isRefused(net)) return net;
  return creditNoteEvents(open, {
    creditNoteId: command.creditNoteId,
    number: command.number,
    issuedOn: command.issuedOn,
    reason: command.reason,
    net,
    now: command.now,
  });
}

export function decide(command: InvoiceCommand, state: InvoiceState): InvoiceDecision {
  switch (command.type) {
    case 'CreateDraft':
      return decideCreateDraft(command, state);
    case 'AddLine':
      return decideAddLine(command, state);
    case 'RemoveLine':
      return decideRemoveLine(command, state);
    case 'StartIssue':
      return decideStartIssue(command, state);
    case 'Issue':
      return decideIssue(command, state);
    case 'ApplyPayment':
    case 'ApplyCustomerCredit':
      return decideSettlement(command, state);
    case 'MarkOverdue':
      return decideMarkOverdue(command, state);
    case 'WriteOff':
      return decideWriteOff(command, state);
    case 'Void':
      return decideVoid(command, state);
    case 'StartCreditNote':
      return decideStartCreditNote(command, state);
    case 'CompleteCreditNote':
      return decideCompleteCreditNote(command, state);
    case 'IssueCreditNote':
      return decideIssueCreditNote(command, state);
    default:
      return assertNever(command, 'invoice command');
  }
}

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState, InvoiceRefusalCode> = {
  initialState,
  evolve,
  decide,
};
