import { z } from 'zod';
import { defineEvent, type EventDefinition, type EventOf } from '../events/catalog.ts';
import { actorSchema } from '../events/metadata.ts';
import { type MoneyJson, nonNegativeMoneySchema } from '../money/index.ts';
import { assertNever } from '../shared/decider.ts';
import type { CalendarDate } from '../shared/calendar-date.ts';

/**
 * Dunning: what the business does to get an overdue invoice paid, recorded per invoice in
 * `dunning-<invoiceId>`.
 *
 * - Scheduled reminders go out 3, 7 and 14 days after the due date while the invoice stays unpaid,
 *   and the subscription is suspended 21 days after it (`dunningSchedule`, run by the scheduler's
 *   daily job, app/jobs/daily.ts).
 * - An operator may also remind the tenant now (by e-mail, SMS or a phone call), and record the
 *   tenant's promise to pay an amount by a date.
 *
 * Both are facts the business must remember (the overdue-risk score counts reminders; the overdue
 * page shows promises, kept or broken), so each is an event. The commands and their refusals are
 * in `dunning.decide.ts`.
 */
export const dunningSchedule = {
  reminderDaysAfterDue: [3, 7, 14] as const,
  suspensionDaysAfterDue: 21,
} as const;

export type ReminderStage = 1 | 2 | 3;

export const dunningStreamName = (invoiceId: string): string => `dunning-${invoiceId}`;

/** How a reminder reaches the tenant: the schedule e-mails; an operator may also text or call. */
export const reminderChannels = ['email', 'sms', 'phone'] as const;
export type ReminderChannel = (typeof reminderChannels)[number];

/** The longest note an operator may attach to a reminder or a promise. */
export const dunningNoteLengthMax = 500;

const id = z.string().min(1).max(200);
const calendarDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const note = z.string().max(dunningNoteLengthMax).nullable();

const reminderCommon = {
  invoiceId: id,
  tenantId: id,
  daysAfterDue: z.number().int().min(1).max(3650),
  dueOn: calendarDate,
  sentOn: calendarDate,
  amountDue: nonNegativeMoneySchema,
  channel: z.enum(reminderChannels),
  note,
  sentAt: instant,
};

/**
 * Version 2 tells a scheduled reminder (its stage, the day it was due by the schedule) from an
 * operator's (who sent it), and allows SMS and phone. Version 1 only knew the schedule's e-mails:
 * its upcaster marks them `schedule`, with no sender and no note.
 */
export const reminderSent = defineEvent({
  type: 'ReminderSent',
  version: 2,
  schema: z.discriminatedUnion('trigger', [
    z.object({
      ...reminderCommon,
      trigger: z.literal('schedule'),
      stage: z.number().int().min(1).max(3),
      /** The day the reminder was due by the schedule (a catch-up sends it late but dates it right). */
      scheduledOn: calendarDate,
      sentBy: z.null(),
    }),
    z.object({
      ...reminderCommon,
      trigger: z.literal('operator'),
      stage: z.null(),
      scheduledOn: z.null(),
      /** The person (or token) who sent it. */
      sentBy: actorSchema,
    }),
  ]),
  upcasters: {
    1: (data) => ({ ...(data as object), trigger: 'schedule', sentBy: null, note: null }),
  },
});

/**
 * The tenant promised to pay `amount` of this invoice by `promisedOn` (a day on its calendar). A
 * later promise on the same invoice replaces the earlier one. Whether it was kept is read from the
 * payments that follow (`promise-status.ts`), never recorded here.
 */
export const paymentPromised = defineEvent({
  type: 'PaymentPromised',
  version: 1,
  schema: z.object({
    invoiceId: id,
    tenantId: id,
    promisedOn: calendarDate,
    amount: nonNegativeMoneySchema,
    /** What was due on the invoice when the promise was recorded: the promise is at most this. */
    amountDue: nonNegativeMoneySchema,
    note,
    /** The tenant's calendar day the promise was recorded. */
    recordedOn: calendarDate,
    /** The operator who recorded it. */
    recordedBy: actorSchema,
    recordedAt: instant,
  }),
});

export const dunningEventDefinitions: ReadonlyArray<EventDefinition<string, unknown>> = [
  reminderSent,
  paymentPromised,
];

export type ReminderSentEvent = EventOf<typeof reminderSent>;
export type PaymentPromisedEvent = EventOf<typeof paymentPromised>;
export type DunningEvent = ReminderSentEvent | PaymentPromisedEvent;

export interface DunningState {
  /** The schedule's stages already sent: each goes out once. */
  readonly stagesSent: readonly ReminderStage[];
  /** The day of the latest reminder of any kind. */
  readonly lastReminderOn: CalendarDate | null;
  /** The promise in force (the latest one recorded), or null. */
  readonly promise: {
    readonly promisedOn: CalendarDate;
    readonly amount: MoneyJson;
    readonly recordedOn: CalendarDate;
  } | null;
}

export const initialDunningState = (): DunningState => ({
  stagesSent: [],
  lastReminderOn: null,
  promise: null,
});

export function evolveDunning(state: DunningState, event: DunningEvent): DunningState {
  switch (event.type) {
    case 'ReminderSent': {
      const { data } = event;
      const lastReminderOn =
        state.lastReminderOn === null || data.sentOn > state.lastReminderOn
          ? data.sentOn
          : state.lastReminderOn;
      const stagesSent =
        data.trigger === 'schedule' ? [...state.stagesSent, data.stage as ReminderStage] : state.stagesSent;
      return { ...state, stagesSent, lastReminderOn };
    }
    case 'PaymentPromised':
      return {
        ...state,
        promise: {
          promisedOn: event.data.promisedOn,
          amount: event.data.amount,
          recordedOn: event.data.recordedOn,
        },
      };
    default:
      return assertNever(event, 'dunning event');
  }
}
