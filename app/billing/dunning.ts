import { dunningDecider, type InvoiceStanding } from '../../domain/dunning/dunning.decide.ts';
import { type DunningEvent, dunningStreamName, type ReminderChannel } from '../../domain/dunning/dunning.ts';
import { isIssued } from '../../domain/invoice/invoice.ts';
import type { Refusal } from '../../domain/shared/decider.ts';
import type { GlobalPosition } from '../../eventstore/port.ts';
import { type CommandContext, type CommandOutcome, handleCommand } from '../command-handler.ts';
import { loadInvoiceState } from './invoicing.ts';
import { type BillingDeps, type Outcome, ok, refused, step } from './support.ts';

/**
 * Dunning use cases an operator runs from the overdue page: remind a tenant of an overdue invoice
 * now, or of all of them, and record its promise to pay. The invoice is read from its own stream
 * just before each command (the read model that listed it may lag), and the decider on the
 * invoice's dunning stream decides from what it says.
 */

const invoiceNotFound = (invoiceId: string) =>
  ({ ok: false, refusal: { code: 'invoice_not_found', message: `no invoice ${invoiceId}` } }) as const;

/** The invoice as the dunning decider needs it, read from the invoice's stream. */
export async function invoiceStanding(deps: BillingDeps, invoiceId: string): Promise<InvoiceStanding | null> {
  const state = await loadInvoiceState(deps, invoiceId);
  if (state.status === 'none') return null;
  if (!isIssued(state)) {
    return {
      invoiceId,
      tenantId: state.draft.tenantId,
      status: state.status,
      dueOn: null,
      amountDue: null,
    };
  }
  return {
    invoiceId,
    tenantId: state.invoice.tenantId,
    status: state.status,
    dueOn: state.invoice.dueOn,
    amountDue: state.account.amountDue,
  };
}

export interface ReminderInput {
  readonly channel: ReminderChannel;
  readonly note: string | null;
  /** The tenant's calendar day. */
  readonly today: string;
}

/** Reminds the tenant of one invoice now; the sender is the context's actor. */
export async function remindInvoice(
  deps: BillingDeps,
  input: ReminderInput & { readonly invoiceId: string },
  context: CommandContext,
): Promise<CommandOutcome<DunningEvent>> {
  const invoice = await invoiceStanding(deps, input.invoiceId);
  if (invoice === null) return invoiceNotFound(input.invoiceId);
  return handleCommand(
    deps.store,
    dunningDecider,
    dunningStreamName(input.invoiceId),
    {
      type: 'SendOperatorReminder',
      invoice,
      channel: input.channel,
      note: input.note,
      sentBy: context.actor,
      today: input.today,
      now: context.occurredAt,
    },
    context,
  );
}

export interface ReminderDone {
  readonly invoiceId: string;
  readonly sentOn: string;
  readonly daysAfterDue: number;
  readonly channel: ReminderChannel;
  /** True when this key had sent it before: nothing new was recorded. */
  readonly replayed: boolean;
}

export interface TenantReminders {
  readonly sent: readonly ReminderDone[];
  /** Invoices listed as overdue that the decider would not remind (reminded today, paid meanwhile). */
  readonly skipped: readonly { readonly invoiceId: string; readonly refusal: Refusal }[];
  /** The log position of the last reminder recorded, for read-your-writes. */
  readonly position: GlobalPosition | null;
}

/**
 * Reminds a tenant of each of the invoices given (the caller lists its overdue ones), one command
 * per invoice under a key derived from the call's, so a retry sends nothing twice. Refused when
 * none could be sent, with the first invoice's reason (or `tenant_not_overdue` when none was given).
 */
export async function remindTenant(
  deps: BillingDeps,
  input: ReminderInput & { readonly tenantId: string; readonly invoiceIds: readonly string[] },
  context: CommandContext,
): Promise<Outcome<TenantReminders>> {
  const sent: ReminderDone[] = [];
  const skipped: { invoiceId: string; refusal: Refusal }[] = [];
  let position: GlobalPosition | null = null;
  for (const invoiceId of input.invoiceIds) {
    const invoice = await invoiceStanding(deps, invoiceId);
    if (invoice === null || invoice.tenantId !== input.tenantId) {
      skipped.push({ invoiceId, refusal: invoiceNotFound(invoiceId).refusal });
      continue;
    }
    const outcome = await remindInvoice(
      deps,
      { ...input, invoiceId },
      step(context, `reminder:${invoiceId}`),
    );
    if (!outcome.ok) {
      skipped.push({ invoiceId, refusal: outcome.refusal });
      continue;
    }
    for (const event of outcome.events) {
      if (event.type !== 'ReminderSent') continue;
      const { sentOn, daysAfterDue, channel } = event.data;
      sent.push({ invoiceId, sentOn, daysAfterDue, channel, replayed: outcome.replayed });
    }
    position = outcome.position ?? position;
  }
  if (sent.length === 0) {
    const first = skipped[0]?.refusal;
    return first === undefined
      ? refused('tenant_not_overdue', `tenant ${input.tenantId} has no overdue invoice`)
      : refused(first.code, first.message, first.field);
  }
  return ok({ sent, skipped, position });
}

/** Records the tenant's promise to pay `amountMinor` of an invoice by `promisedOn`. */
export async function recordPaymentPromise(
  deps: BillingDeps,
  input: {
    readonly invoiceId: string;
    readonly promisedOn: string;
    readonly amountMinor: bigint;
    readonly note: string | null;
    readonly today: string;
  },
  context: CommandContext,
): Promise<CommandOutcome<DunningEvent>> {
  const invoice = await invoiceStanding(deps, input.invoiceId);
  if (invoice === null) return invoiceNotFound(input.invoiceId);
  return handleCommand(
    deps.store,
    dunningDecider,
    dunningStreamName(input.invoiceId),
    {
      type: 'PromisePayment',
      invoice,
      promisedOn: input.promisedOn,
      amountMinor: input.amountMinor,
      note: input.note,
      recordedBy: context.actor,
      today: input.today,
      now: context.occurredAt,
    },
    context,
  );
}
