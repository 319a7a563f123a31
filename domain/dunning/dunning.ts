import { z } from 'zod';
import { defineEvent, type EventDefinition, type EventOf } from '../events/catalog.ts';
import { accept, type Decider, refuse } from '../shared/decider.ts';

/**
 * Dunning reminders: a reminder is sent 3, 7 and 14 days after an invoice's due date while it stays
 * unpaid, and the subscription is suspended 21 days after it (see `dunningSchedule`).
 *
 * A reminder is a fact the business must remember (the overdue-risk score counts them), so it is an
 * event, `ReminderSent`, in a stream per invoice (`dunning-<invoiceId>`). The scheduler's daily
 * job (app/jobs/daily.ts) decides when; this decider only refuses a stage sent before.
 */
export const dunningSchedule = {
  reminderDaysAfterDue: [3, 7, 14] as const,
  suspensionDaysAfterDue: 21,
} as const;

export type ReminderStage = 1 | 2 | 3;

export const dunningStreamName = (invoiceId: string): string => `dunning-${invoiceId}`;

const id = z.string().min(1).max(200);

export const reminderSent = defineEvent({
  type: 'ReminderSent',
  version: 1,
  schema: z.object({
    invoiceId: id,
    tenantId: id,
    stage: z.number().int().min(1).max(3),
    daysAfterDue: z.number().int().min(1).max(365),
    dueOn: z.iso.date(),
    /** The day the reminder was due by the schedule (a catch-up sends it late but dates it right). */
    scheduledOn: z.iso.date(),
    sentOn: z.iso.date(),
    amountDue: z.object({ amountMinor: z.string(), currency: z.string() }),
    channel: z.enum(['email']),
    sentAt: z.iso.datetime({ offset: true }),
  }),
});

export const dunningEventDefinitions: ReadonlyArray<EventDefinition<string, unknown>> = [reminderSent];

export type DunningEvent = EventOf<typeof reminderSent>;
export type DunningState = { readonly stagesSent: readonly number[] };
export type SendReminder = { readonly type: 'SendReminder'; readonly data: DunningEvent['data'] };

export const dunningDecider: Decider<SendReminder, DunningEvent, DunningState, 'reminder_already_sent'> = {
  initialState: () => ({ stagesSent: [] }),
  evolve: (state, event) => ({ stagesSent: [...state.stagesSent, event.data.stage] }),
  decide: (command, state) =>
    state.stagesSent.includes(command.data.stage)
      ? refuse('reminder_already_sent', `reminder ${command.data.stage} was already sent`)
      : accept({ type: 'ReminderSent', data: command.data }),
};
