import { z } from 'zod';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import {
  add,
  type CurrencyCode,
  fromMoneyJson,
  isCurrencyCode,
  type Money,
  moneySchema,
  nonNegativeMoneySchema,
  subtract,
  zero,
} from '../money/index.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import type { CalendarDate } from './calendar.ts';

/**
 * The invoice aggregate: one stream per invoice (`invoice-<invoiceId>`), from the draft to the day
 * nothing more can happen to it. An issued invoice never changes: payments, credit notes, the
 * overdue mark and a write-off are new events beside it, and the amounts the invoice was issued
 * with (line amounts, rate, tax, total) are recorded in its events, so a replay never recomputes
 * them with rules that may have changed since.
 *
 * Credit notes live in this stream (see docs/rfc/003-invoice-numbering.md): "the credit notes of an
 * invoice never exceed its total" is a rule about this invoice, and one stream is the unit that
 * appends atomically with an expected revision.
 */

/** Limits: a named maximum on everything that grows. */
export const linesPerInvoiceMax = 200;
export const paymentsPerInvoiceMax = 100;
export const creditNotesPerInvoiceMax = 50;
export const paymentTermsDaysMax = 365;
export const paymentTermsDaysDefault = 15;
const idLengthMax = 200;
const textLengthMax = 500;

export const invoiceStreamName = (invoiceId: string): string => `invoice-${invoiceId}`;

export const lineKinds = ['subscription_period', 'proration', 'usage', 'discount', 'one_off'] as const;
export type LineKind = (typeof lineKinds)[number];

const id = z.string().min(1).max(idLengthMax);
const text = z.string().trim().min(1).max(textLengthMax);
const instant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();
const currency = z.string().refine(isCurrencyCode, 'a supported ISO 4217 currency code');
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code');
/** A positive decimal quantity with at most 6 decimals (usage may be fractional: 1.5 GB). */
export const quantitySchema = z
  .string()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,6})?$/, 'a decimal with at most 6 decimals')
  .refine((value) => /[1-9]/.test(value), 'must be positive');
const period = z
  .object({ from: calendarDate, to: calendarDate })
  .refine((value) => value.from <= value.to, 'a period ends on or after its first day');
const invoiceNumber = z.string().regex(/^F-\d{4}-\d{6}$/);
const creditNoteNumber = z.string().regex(/^AV-\d{4}-\d{6}$/);
const ratePercent = z.string().regex(/^(0|[1-9]\d?)(\.\d{1,4})?$/);

export const invoiceDrafted = defineEvent({
  type: 'InvoiceDrafted',
  version: 1,
  schema: z.object({
    invoiceId: id,
    tenantId: id,
    currency,
    /** The tenant's country on the day of the draft: it chooses the tax rate at issue. */
    country,
    /** The exemption mention printed on the invoice when the tenant is exempt; null when taxable. */
    taxExemptionMention: text.nullable(),
    paymentTermsDays: z.number().int().min(0).max(paymentTermsDaysMax),
    draftedAt: instant,
  }),
});

export const invoiceLineAdded = defineEvent({
  type: 'InvoiceLineAdded',
  version: 1,
  schema: z.object({
    invoiceId: id,
    lineId: id,
    kind: z.enum(lineKinds),
    description: text,
    quantity: quantitySchema,
    unitPrice: moneySchema,
    /** round_half_up(quantity × unitPrice), recorded so that a replay never recomputes it. */
    amount: moneySchema,
    /** The service period the line bills, both days included; null for one-off lines. */
    period: period.nullable(),
  }),
});

export const invoiceLineRemoved = defineEvent({
  type: 'InvoiceLineRemoved',
  version: 1,
  schema: z.object({ invoiceId: id, lineId: id }),
});

export const invoiceIssued = defineEvent({
  type: 'InvoiceIssued',
  version: 1,
  schema: z.object({
    invoiceId: id,
    tenantId: id,
    number: invoiceNumber,
    issuedOn: calendarDate,
    dueOn: calendarDate,
    /** The rate applied (0 for an exempt tenant), as a decimal percentage string. */
    taxRatePercent: ratePercent,
    taxExemptionMention: text.nullable(),
    subtotal: nonNegativeMoneySchema,
    tax: nonNegativeMoneySchema,
    total: nonNegativeMoneySchema,
    issuedAt: instant,
  }),
});

/**
 * The draft is frozen for issue: from here on it can no longer be changed or voided, only issued.
 * Recorded before a number is reserved, so a number once taken always finds its invoice issuable
 * (docs/rfc/003-invoice-numbering.md).
 */
export const invoiceIssueStarted = defineEvent({
  type: 'InvoiceIssueStarted',
  version: 1,
  schema: z.object({ invoiceId: id, issuedOn: calendarDate, startedAt: instant }),
});

export const invoicePaymentApplied = defineEvent({
  type: 'InvoicePaymentApplied',
  version: 1,
  schema: z.object({
    invoiceId: id,
    paymentId: id,
    /** What the payment offered this invoice. */
    amountReceived: nonNegativeMoneySchema,
    /** What the invoice took: at most its amount due. */
    amountApplied: nonNegativeMoneySchema,
    /** amountReceived − amountApplied: the caller credits it to the customer's balance. */
    excess: nonNegativeMoneySchema,
    amountDueAfter: nonNegativeMoneySchema,
    appliedOn: calendarDate,
    appliedAt: instant,
  }),
});

export const invoiceCustomerCreditApplied = defineEvent({
  type: 'InvoiceCustomerCreditApplied',
  version: 1,
  schema: z.object({
    invoiceId: id,
    /** The `CreditBalanceApplied` application on the customer's balance stream this completes. */
    applicationId: id,
    amountOffered: nonNegativeMoneySchema,
    amountApplied: nonNegativeMoneySchema,
    excess: nonNegativeMoneySchema,
    amountDueAfter: nonNegativeMoneySchema,
    appliedOn: calendarDate,
    appliedAt: instant,
  }),
});

export const invoicePaid = defineEvent({
  type: 'InvoicePaid',
  version: 1,
  schema: z.object({ invoiceId: id, paidOn: calendarDate, paidAt: instant }),
});

export const invoiceMarkedOverdue = defineEvent({
  type: 'InvoiceMarkedOverdue',
  version: 1,
  schema: z.object({
    invoiceId: id,
    dueOn: calendarDate,
    /** The first day the invoice is seen overdue (the command's "today"). */
    overdueOn: calendarDate,
    amountDue: nonNegativeMoneySchema,
    markedAt: instant,
  }),
});

export const invoiceWrittenOff = defineEvent({
  type: 'InvoiceWrittenOff',
  version: 1,
  schema: z.object({
    invoiceId: id,
    reason: text,
    amountWrittenOff: nonNegativeMoneySchema,
    writtenOffOn: calendarDate,
    writtenOffAt: instant,
  }),
});

export const invoiceVoided = defineEvent({
  type: 'InvoiceVoided',
  version: 1,
  schema: z.object({ invoiceId: id, reason: text, voidedAt: instant }),
});

export const creditNoteIssued = defineEvent({
  type: 'CreditNoteIssued',
  version: 1,
  schema: z.object({
    invoiceId: id,
    creditNoteId: id,
    number: creditNoteNumber,
    invoiceNumber,
    issuedOn: calendarDate,
    reason: text,
    /** Amount credited before tax, tax credited, and their sum. */
    net: nonNegativeMoneySchema,
    tax: nonNegativeMoneySchema,
    total: nonNegativeMoneySchema,
    /** The part of `total` that cancels what the customer still owed on this invoice. */
    appliedToAmountDue: nonNegativeMoneySchema,
    /** The rest, already paid: the caller credits it to the customer's balance. */
    toCustomerBalance: nonNegativeMoneySchema,
    amountDueAfter: nonNegativeMoneySchema,
    issuedAt: instant,
  }),
});

/**
 * A credit note whose content is settled and whose `AV` number is being reserved. Its net counts
 * against what is left to credit at once, so two credit notes in flight can never together exceed
 * the invoice; `CreditNoteIssued` with the same id completes it.
 */
export const creditNoteStarted = defineEvent({
  type: 'CreditNoteStarted',
  version: 1,
  schema: z.object({
    invoiceId: id,
    creditNoteId: id,
    issuedOn: calendarDate,
    reason: text,
    net: nonNegativeMoneySchema,
    startedAt: instant,
  }),
});

export const invoiceEvents = [
  invoiceDrafted,
  invoiceLineAdded,
  invoiceLineRemoved,
  invoiceIssueStarted,
  invoiceIssued,
  invoicePaymentApplied,
  invoiceCustomerCreditApplied,
  invoicePaid,
  invoiceMarkedOverdue,
  invoiceWrittenOff,
  invoiceVoided,
  creditNoteStarted,
  creditNoteIssued,
] as const;

export type InvoiceEvent =
  | EventOf<typeof invoiceDrafted>
  | EventOf<typeof invoiceLineAdded>
  | EventOf<typeof invoiceLineRemoved>
  | EventOf<typeof invoiceIssueStarted>
  | EventOf<typeof invoiceIssued>
  | EventOf<typeof invoicePaymentApplied>
  | EventOf<typeof invoiceCustomerCreditApplied>
  | EventOf<typeof invoicePaid>
  | EventOf<typeof invoiceMarkedOverdue>
  | EventOf<typeof invoiceWrittenOff>
  | EventOf<typeof invoiceVoided>
  | EventOf<typeof creditNoteStarted>
  | EventOf<typeof creditNoteIssued>;

// ---------------------------------------------------------------------------------------------------
// State

export interface DraftLine {
  readonly lineId: string;
  readonly kind: LineKind;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: Money;
  readonly amount: Money;
  readonly period: { readonly from: CalendarDate; readonly to: CalendarDate } | null;
}

export interface Draft {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly currency: CurrencyCode;
  readonly country: string;
  readonly taxExemptionMention: string | null;
  readonly paymentTermsDays: number;
  readonly lines: readonly DraftLine[];
}

/** What the invoice says, frozen at issue. */
export interface IssuedInvoice {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly currency: CurrencyCode;
  readonly number: string;
  readonly issuedOn: CalendarDate;
  readonly dueOn: CalendarDate;
  readonly lines: readonly DraftLine[];
  readonly taxRatePercent: string;
  readonly taxExemptionMention: string | null;
  readonly subtotal: Money;
  readonly tax: Money;
  readonly total: Money;
}

/** What happened to the money since issue. `amountDue = total − paid − creditApplied − credited-to-due`. */
export interface InvoiceAccount {
  readonly amountDue: Money;
  /** Money received from payments and applied here. */
  readonly paid: Money;
  /** The customer's credit balance applied here. */
  readonly customerCreditApplied: Money;
  readonly creditedNet: Money;
  readonly creditedTax: Money;
  readonly creditedTotal: Money;
  readonly paymentIds: readonly string[];
  readonly creditApplicationIds: readonly string[];
  readonly creditNoteIds: readonly string[];
  /** Credit notes started and waiting for their number; their net is already spoken for. */
  readonly pendingCreditNotes: readonly PendingCreditNote[];
}

export interface PendingCreditNote {
  readonly creditNoteId: string;
  readonly issuedOn: CalendarDate;
  readonly reason: string;
  readonly net: Money;
}

interface Open {
  readonly invoice: IssuedInvoice;
  readonly account: InvoiceAccount;
}

/**
 * The states an invoice goes through. `credited` (added to the list in the brief) is an issued
 * invoice wholly cancelled by credit notes: nothing is due and calling it "paid" would be false.
 */
export type InvoiceState =
  | { readonly status: 'none' }
  | { readonly status: 'draft'; readonly draft: Draft }
  /** Frozen for issue: a number is being reserved for it. Only `Issue` is accepted. */
  | { readonly status: 'issuing'; readonly draft: Draft; readonly issueStartedOn: CalendarDate }
  | { readonly status: 'voided'; readonly draft: Draft; readonly reason: string; readonly voidedAt: string }
  | ({ readonly status: 'issued' } & Open)
  | ({ readonly status: 'partially_paid' } & Open)
  | ({ readonly status: 'overdue'; readonly overdueOn: CalendarDate } & Open)
  | ({ readonly status: 'paid'; readonly paidOn: CalendarDate } & Open)
  | ({ readonly status: 'credited' } & Open)
  | ({
      readonly status: 'written_off';
      readonly writtenOff: { readonly on: CalendarDate; readonly reason: string; readonly amount: Money };
    } & Open);

export type InvoiceStatus = InvoiceState['status'];
export type OpenInvoiceState = Extract<InvoiceState, Open>;

export const initialState = (): InvoiceState => ({ status: 'none' });

export function isIssued(state: InvoiceState): state is OpenInvoiceState {
  return 'invoice' in state;
}

function emptyAccount(total: Money): InvoiceAccount {
  const none = zero(total.currency);
  return {
    amountDue: total,
    paid: none,
    customerCreditApplied: none,
    creditedNet: none,
    creditedTax: none,
    creditedTotal: none,
    paymentIds: [],
    creditApplicationIds: [],
    creditNoteIds: [],
    pendingCreditNotes: [],
  };
}

/**
 * The status of an issued invoice after its account changed. An overdue invoice stays overdue
 * until nothing is due; an open invoice becomes `paid` only through `InvoicePaid`, which the
 * decider records beside the event that cleared the amount due; a paid invoice that is later
 * partly credited stays paid (the credit goes to the customer's balance).
 */
function afterAccountChange(state: OpenInvoiceState, account: InvoiceAccount): InvoiceState {
  const { invoice } = state;
  if (
    account.amountDue.amountMinor === 0n &&
    account.creditedTotal.amountMinor === invoice.total.amountMinor
  ) {
    return { status: 'credited', invoice, account };
  }
  if (state.status === 'paid') return { status: 'paid', invoice, account, paidOn: state.paidOn };
  if (state.status === 'overdue') return { status: 'overdue', invoice, account, overdueOn: state.overdueOn };
  const settled = add(account.paid, account.customerCreditApplied);
  if (settled.amountMinor > 0n) return { status: 'partially_paid', invoice, account };
  return { status: 'issued', invoice, account };
}

function requireDraft(state: InvoiceState, eventType: string): Draft {
  if (state.status !== 'draft') throw new InvariantViolation(`${eventType} on a ${state.status} invoice`);
  return state.draft;
}

function requireUnissued(state: InvoiceState, eventType: string): Draft {
  if (state.status !== 'draft' && state.status !== 'issuing') {
    throw new InvariantViolation(`${eventType} on a ${state.status} invoice`);
  }
  return state.draft;
}

function requireOpen(state: InvoiceState, eventType: string): OpenInvoiceState {
  if (!isIssued(state) || state.status === 'written_off') {
    throw new InvariantViolation(`${eventType} on a ${state.status} invoice`);
  }
  return state;
}

export function evolve(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceDrafted': {
      if (state.status !== 'none') throw new InvariantViolation('InvoiceDrafted on an existing invoice');
      const { data } = event;
      if (!isCurrencyCode(data.currency)) throw new InvariantViolation(`unknown currency ${data.currency}`);
      return {
        status: 'draft',
        draft: {
          invoiceId: data.invoiceId,
          tenantId: data.tenantId,
          currency: data.currency,
          country: data.country,
          taxExemptionMention: data.taxExemptionMention,
          paymentTermsDays: data.paymentTermsDays,
          lines: [],
        },
      };
    }
    case 'InvoiceLineAdded': {
      const draft = requireDraft(state, event.type);
      const { data } = event;
      const line: DraftLine = {
        lineId: data.lineId,
        kind: data.kind,
        description: data.description,
        quantity: data.quantity,
        unitPrice: fromMoneyJson(data.unitPrice),
        amount: fromMoneyJson(data.amount),
        period: data.period,
      };
      return { status: 'draft', draft: { ...draft, lines: [...draft.lines, line] } };
    }
    case 'InvoiceLineRemoved': {
      const draft = requireDraft(state, event.type);
      return {
        status: 'draft',
        draft: { ...draft, lines: draft.lines.filter((line) => line.lineId !== event.data.lineId) },
      };
    }
    case 'InvoiceIssueStarted': {
      const draft = requireDraft(state, event.type);
      return { status: 'issuing', draft, issueStartedOn: event.data.issuedOn };
    }
    case 'InvoiceIssued': {
      const draft = requireUnissued(state, event.type);
      const { data } = event;
      const invoice: IssuedInvoice = {
        invoiceId: draft.invoiceId,
        tenantId: draft.tenantId,
        currency: draft.currency,
        number: data.number,
        issuedOn: data.issuedOn,
        dueOn: data.dueOn,
        lines: draft.lines,
        taxRatePercent: data.taxRatePercent,
        taxExemptionMention: data.taxExemptionMention,
        subtotal: fromMoneyJson(data.subtotal),
        tax: fromMoneyJson(data.tax),
        total: fromMoneyJson(data.total),
      };
      return { status: 'issued', invoice, account: emptyAccount(invoice.total) };
    }
    case 'InvoicePaymentApplied': {
      const open = requireOpen(state, event.type);
      const { data } = event;
      const account: InvoiceAccount = {
        ...open.account,
        paid: add(open.account.paid, fromMoneyJson(data.amountApplied)),
        amountDue: fromMoneyJson(data.amountDueAfter),
        paymentIds: [...open.account.paymentIds, data.paymentId],
      };
      return afterAccountChange(open, account);
    }
    case 'InvoiceCustomerCreditApplied': {
      const open = requireOpen(state, event.type);
      const { data } = event;
      const account: InvoiceAccount = {
        ...open.account,
        customerCreditApplied: add(open.account.customerCreditApplied, fromMoneyJson(data.amountApplied)),
        amountDue: fromMoneyJson(data.amountDueAfter),
        creditApplicationIds: [...open.account.creditApplicationIds, data.applicationId],
      };
      return afterAccountChange(open, account);
    }
    case 'CreditNoteIssued': {
      const open = requireOpen(state, event.type);
      const { data } = event;
      const account: InvoiceAccount = {
        ...open.account,
        creditedNet: add(open.account.creditedNet, fromMoneyJson(data.net)),
        creditedTax: add(open.account.creditedTax, fromMoneyJson(data.tax)),
        creditedTotal: add(open.account.creditedTotal, fromMoneyJson(data.total)),
        amountDue: fromMoneyJson(data.amountDueAfter),
        creditNoteIds: [...open.account.creditNoteIds, data.creditNoteId],
        pendingCreditNotes: open.account.pendingCreditNotes.filter(
          (pending) => pending.creditNoteId !== data.creditNoteId,
        ),
      };
      return afterAccountChange(open, account);
    }
    case 'CreditNoteStarted': {
      const open = requireOpen(state, event.type);
      const { data } = event;
      const pending: PendingCreditNote = {
        creditNoteId: data.creditNoteId,
        issuedOn: data.issuedOn,
        reason: data.reason,
        net: fromMoneyJson(data.net),
      };
      // The status does not change: nothing is credited until the credit note is issued.
      return {
        ...open,
        account: { ...open.account, pendingCreditNotes: [...open.account.pendingCreditNotes, pending] },
      };
    }
    case 'InvoicePaid': {
      const open = requireOpen(state, event.type);
      return { status: 'paid', invoice: open.invoice, account: open.account, paidOn: event.data.paidOn };
    }
    case 'InvoiceMarkedOverdue': {
      const open = requireOpen(state, event.type);
      return {
        status: 'overdue',
        invoice: open.invoice,
        account: open.account,
        overdueOn: event.data.overdueOn,
      };
    }
    case 'InvoiceWrittenOff': {
      const open = requireOpen(state, event.type);
      const amount = fromMoneyJson(event.data.amountWrittenOff);
      return {
        status: 'written_off',
        invoice: open.invoice,
        account: { ...open.account, amountDue: subtract(open.account.amountDue, amount) },
        writtenOff: { on: event.data.writtenOffOn, reason: event.data.reason, amount },
      };
    }
    case 'InvoiceVoided': {
      const draft = requireDraft(state, event.type);
      return { status: 'voided', draft, reason: event.data.reason, voidedAt: event.data.voidedAt };
    }
    default:
      return assertNever(event, 'invoice event');
  }
}
