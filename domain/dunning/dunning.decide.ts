import type { Actor } from '../events/metadata.ts';
import type { InvoiceStatus } from '../invoice/invoice.ts';
import { type Money, toMoneyJson } from '../money/index.ts';
import { addDays, type CalendarDate, daysBetween, isBefore } from '../shared/calendar-date.ts';
import { accept, assertNever, type Decider, type Decision, refuse } from '../shared/decider.ts';
import {
  type DunningEvent,
  type DunningState,
  evolveDunning,
  initialDunningState,
  type ReminderChannel,
  type ReminderSentEvent,
} from './dunning.ts';

/**
 * The dunning commands. The dunning stream does not hold the invoice, so the commands that depend
 * on it carry what its stream says now (`InvoiceStanding`, read by the use case just before), the
 * tenant's calendar day (`today`) and the instant (`now`): `decide` stays pure.
 */
export interface InvoiceStanding {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly status: InvoiceStatus;
  /** Null until the invoice is issued. */
  readonly dueOn: CalendarDate | null;
  readonly amountDue: Money | null;
}

/** The schedule's reminder, as the daily job builds it (the event adds who decided: the schedule). */
export type ScheduledReminder = Omit<
  Extract<ReminderSentEvent['data'], { trigger: 'schedule' }>,
  'trigger' | 'sentBy' | 'note'
>;

export type SendReminder = { readonly type: 'SendReminder'; readonly data: ScheduledReminder };

/** An operator reminds the tenant of an overdue invoice now. */
export interface SendOperatorReminder {
  readonly type: 'SendOperatorReminder';
  readonly invoice: InvoiceStanding;
  readonly channel: ReminderChannel;
  readonly note: string | null;
  readonly sentBy: Actor;
  readonly today: CalendarDate;
  readonly now: string;
}

/** An operator records the tenant's promise to pay part or all of an overdue invoice by a date. */
export interface PromisePayment {
  readonly type: 'PromisePayment';
  readonly invoice: InvoiceStanding;
  readonly promisedOn: CalendarDate;
  /** In the invoice's currency, minor units. */
  readonly amountMinor: bigint;
  readonly note: string | null;
  readonly recordedBy: Actor;
  readonly today: CalendarDate;
  readonly now: string;
}

export type DunningCommand = SendReminder | SendOperatorReminder | PromisePayment;

/**
 * A promise further out than this is a plan, not a promise: the operator negotiates a schedule
 * (or writes the invoice off) instead.
 */
export const promiseHorizonDaysMax = 90;

/**
 * Every refusal, in the order the checks run. A command checks only the rules that concern it, but
 * always in this order, so one input always gets the same refusal.
 */
export const dunningRefusalCodes = [
  'reminder_already_sent',
  'promise_in_force',
  'invoice_not_issued',
  'invoice_settled',
  'invoice_not_overdue',
  'reminder_sent_today',
  'promise_date_in_past',
  'promise_date_too_far',
  'promise_amount_not_positive',
  'promise_amount_above_due',
] as const;
export type DunningRefusalCode = (typeof dunningRefusalCodes)[number];

type DunningDecision = Decision<DunningEvent, DunningRefusalCode>;
type Refused = Extract<DunningDecision, { ok: false }>;

const unissued: ReadonlySet<InvoiceStatus> = new Set(['none', 'draft', 'issuing', 'voided']);
const settled: ReadonlySet<InvoiceStatus> = new Set(['paid', 'credited', 'written_off']);

/**
 * The invoice is overdue on `today`: issued, money still due, and its due date is behind us. The
 * daily job marks invoices overdue the day after their due date; an operator need not wait for it.
 */
function overdueProblem(invoice: InvoiceStanding, today: CalendarDate): Refused | null {
  if (unissued.has(invoice.status) || invoice.dueOn === null || invoice.amountDue === null) {
    return refuse('invoice_not_issued', `invoice ${invoice.invoiceId} is ${invoice.status}`);
  }
  if (settled.has(invoice.status) || invoice.amountDue.amountMinor <= 0n) {
    return refuse('invoice_settled', `nothing is due on invoice ${invoice.invoiceId} (${invoice.status})`);
  }
  if (!isBefore(invoice.dueOn, today)) {
    return refuse('invoice_not_overdue', `invoice ${invoice.invoiceId} falls due on ${invoice.dueOn}`);
  }
  return null;
}

function sendScheduled(command: SendReminder, state: DunningState): DunningDecision {
  if (state.stagesSent.includes(command.data.stage as 1 | 2 | 3)) {
    return refuse('reminder_already_sent', `reminder ${command.data.stage} was already sent`);
  }
  // The schedule waits while the tenant's promise to pay runs (to its date inclusive): reminding
  // someone who has just said when they will pay only annoys them. A broken promise lets the
  // schedule resume; an operator may still remind at any time.
  if (state.promise !== null && !isBefore(state.promise.promisedOn, command.data.sentOn)) {
    return refuse(
      'promise_in_force',
      `the tenant promised to pay by ${state.promise.promisedOn}; the schedule waits until then`,
    );
  }
  return accept({
    type: 'ReminderSent',
    data: { ...command.data, trigger: 'schedule', sentBy: null, note: null },
  });
}

function sendNow(command: SendOperatorReminder, state: DunningState): DunningDecision {
  const { invoice, today } = command;
  const problem = overdueProblem(invoice, today);
  if (problem !== null) return problem;
  // One reminder a day at most, whoever sends it: two clicks, or an operator on the day the
  // schedule already wrote, would only annoy the customer and inflate the risk score.
  if (state.lastReminderOn === today) {
    return refuse('reminder_sent_today', `invoice ${invoice.invoiceId} was already reminded today`);
  }
  return accept({
    type: 'ReminderSent',
    data: {
      invoiceId: invoice.invoiceId,
      tenantId: invoice.tenantId,
      trigger: 'operator',
      stage: null,
      daysAfterDue: daysBetween(invoice.dueOn!, today),
      dueOn: invoice.dueOn!,
      scheduledOn: null,
      sentOn: today,
      amountDue: toMoneyJson(invoice.amountDue!),
      channel: command.channel,
      sentBy: command.sentBy,
      note: command.note,
      sentAt: command.now,
    },
  });
}

function promise(command: PromisePayment): DunningDecision {
  const { invoice, today, promisedOn, amountMinor } = command;
  const problem = overdueProblem(invoice, today);
  if (problem !== null) return problem;
  if (isBefore(promisedOn, today)) {
    return refuse('promise_date_in_past', `${promisedOn} is before today (${today})`, 'promisedOn');
  }
  const latest = addDays(today, promiseHorizonDaysMax);
  if (isBefore(latest, promisedOn)) {
    return refuse(
      'promise_date_too_far',
      `a promise is at most ${promiseHorizonDaysMax} days ahead (${latest})`,
      'promisedOn',
    );
  }
  if (amountMinor <= 0n) {
    return refuse('promise_amount_not_positive', 'the promised amount must be above zero', 'amountMinor');
  }
  const due = invoice.amountDue!;
  if (amountMinor > due.amountMinor) {
    return refuse(
      'promise_amount_above_due',
      `the promised amount is more than the ${due.amountMinor} ${due.currency} due`,
      'amountMinor',
    );
  }
  return accept({
    type: 'PaymentPromised',
    data: {
      invoiceId: invoice.invoiceId,
      tenantId: invoice.tenantId,
      promisedOn,
      amount: { amountMinor: amountMinor.toString(), currency: due.currency },
      amountDue: toMoneyJson(due),
      note: command.note,
      recordedOn: today,
      recordedBy: command.recordedBy,
      recordedAt: command.now,
    },
  });
}

export function decideDunning(command: DunningCommand, state: DunningState): DunningDecision {
  switch (command.type) {
    case 'SendReminder':
      return sendScheduled(command, state);
    case 'SendOperatorReminder':
      return sendNow(command, state);
    case 'PromisePayment':
      return promise(command);
    default:
      return assertNever(command, 'dunning command');
  }
}

export const dunningDecider: Decider<DunningCommand, DunningEvent, DunningState, DunningRefusalCode> = {
  initialState: initialDunningState,
  evolve: evolveDunning,
  decide: decideDunning,
};
