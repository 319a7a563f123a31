/** One reminder, the schedule's or an operator's. */
export interface DunningReminderRow {
  /** The ReminderSent event's id. */
  reminder_id: string;
  invoice_id: string;
  tenant_id: string;
  trigger: 'schedule' | 'operator';
  stage: number | null;
  channel: 'email' | 'sms' | 'phone';
  sent_on: string;
  sent_at: string;
  /** Who sent an operator's reminder (`user`, `token`); null for the schedule's. */
  sent_by_kind: string | null;
  sent_by_id: string | null;
  note: string | null;
}

/**
 * The promise to pay in force on an invoice (a later promise replaces the row) and what happened
 * since: money applied to the invoice, what is still due, whether it was written off. Money in
 * bigint minor units, read back as strings.
 */
export interface PaymentPromiseRow {
  invoice_id: string;
  tenant_id: string;
  /** The PaymentPromised event's id. */
  promise_id: string;
  currency: string;
  promised_on: string;
  amount_minor: string;
  amount_due_when_promised_minor: string;
  note: string | null;
  recorded_on: string;
  recorded_at: string;
  recorded_by_kind: string;
  recorded_by_id: string;
  paid_since_minor: string;
  amount_due_minor: string;
  written_off: boolean;
}

export interface DunningTables {
  rm_dunning_reminders: DunningReminderRow;
  rm_payment_promises: PaymentPromiseRow;
}
