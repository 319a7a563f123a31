import { setTimeout as sleep } from 'node:timers/promises';
import { yearOf } from '../../domain/invoice/calendar.ts';
import { type InvoiceCommand, invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import {
  type InvoiceEvent,
  type InvoiceState,
  invoiceStreamName,
  isIssued,
} from '../../domain/invoice/invoice.ts';
import { numberingDecider } from '../../domain/invoice/numbering.decide.ts';
import {
  type Assignment,
  assignmentFor,
  documentKey,
  type NumberingEvent,
  type NumberingState,
  type NumberSeries,
  seriesStreamName,
} from '../../domain/invoice/numbering.ts';
import { fold, type Refusal } from '../../domain/shared/decider.ts';
import { StreamNotFound, WrongExpectedRevision } from '../../eventstore/errors.ts';
import { eventIds } from '../../eventstore/ids.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import { type CommandContext, handleCommand, metadataFor } from '../command-handler.ts';

/**
 * Issuing an invoice touches two streams: the series stream hands out the number, then the invoice
 * stream records the issue with it (docs/rfc/003-invoice-numbering.md).
 *
 * 1. Start the issue on the invoice stream (`StartIssue`): everything that can refuse an issue (an
 *    empty draft, an unknown tax rate…) refuses here, before a number is taken, and the draft is
 *    frozen, so no void or edit can land between the number and the issue.
 * 2. Reserve the number: append `InvoiceNumberAssigned` to `invoice-series-F-<year>` at the exact
 *    revision read; an issuer that loses the race reads again and takes the next number. When the
 *    series already holds an assignment for this invoice (an earlier attempt crashed after step 2),
 *    that assignment is reused: the number and the issue date come from it.
 * 3. Issue the invoice with that number and date.
 *
 * Running the use case again for the same invoice is always safe and completes whatever an earlier
 * run left undone; `completeAssignedIssues` does it for a whole series after a crash.
 */

/** Racing issuers of one series retry this many times; set above the issuers expected at once. */
export const seriesConflictRetriesMax = 200;
/** The unit of the randomised back-off between two attempts on a contended series. */
const seriesBackoffStepMs = 2;

export interface IssueInvoiceInput {
  readonly invoiceId: string;
  /** The issue date in the tenant's time zone; an earlier assignment's date wins over it. */
  readonly issuedOn: string;
  readonly today: string;
}

export type IssueInvoiceOutcome =
  | { readonly ok: true; readonly number: string; readonly issuedOn: string; readonly completed: boolean }
  | { readonly ok: false; readonly refusal: Refusal };

/** The most events read from one stream per page: the adapters' own maximum. */
const eventsPerPageMax = 10_000;

/**
 * Every event of a stream, in revision order. The events are sorted here rather than trusted to
 * come back sorted: the PostgreSQL adapter currently orders by the text form of the revision, so a
 * stream of more than ten events comes back as 0, 1, 10, 11, 2… (reported to the event-store
 * owner). The numbering fold refuses any gap, which is how the integration test caught it. The
 * sort is only a stopgap: it is exact while a stream fits in one page (10 000 events, a year of
 * invoices at our scale); past that the adapter's LIMIT cuts a text-ordered page. Remove it once
 * the adapter orders by the numeric revision.
 */
export async function readStreamInOrder(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
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

export async function readFolded<TEvent extends { type: string; data: unknown }, TState>(
  store: EventStore,
  streamName: string,
  decider: { initialState: () => TState; evolve: (state: TState, event: TEvent) => TState },
): Promise<{ state: TState; revision: bigint | null }> {
  const events = await readStreamInOrder(store, streamName);
  const state = fold(
    decider,
    events.map((event) => ({ type: event.type, data: event.data }) as TEvent),
  );
  return { state, revision: events.at(-1)?.revision ?? null };
}

export async function loadInvoice(store: EventStore, invoiceId: string): Promise<InvoiceState> {
  return (await readFolded<InvoiceEvent, InvoiceState>(store, invoiceStreamName(invoiceId), invoiceDecider))
    .state;
}

/**
 * Takes the next number of a series for a document, or returns the one it already has. Exported
 * for credit notes, which go through the same steps in the `AV` series.
 */
export async function reserveNumber(
  store: EventStore,
  request: {
    readonly series: NumberSeries;
    readonly invoiceId: string;
    readonly creditNoteId: string | null;
    readonly issuedOn: string;
  },
  context: CommandContext,
): Promise<{ ok: true; assignment: Assignment } | { ok: false; refusal: Refusal }> {
  const year = yearOf(request.issuedOn);
  const streamName = seriesStreamName(request.series, year);
  const key = documentKey(request.invoiceId, request.creditNoteId);
  const [eventId] = eventIds(`${context.idempotencyKey}#number`, 1);
  for (let attempt = 0; ; attempt += 1) {
    const { state, revision } = await readFolded<NumberingEvent, NumberingState>(
      store,
      streamName,
      numberingDecider,
    );
    // Completion: an earlier attempt (this one before a crash, or a racing retry) took the number.
    const existing = assignmentFor(state, key);
    if (existing !== null) return { ok: true, assignment: existing };
    const decision = numberingDecider.decide(
      {
        type: 'AssignNumber',
        series: request.series,
        year,
        invoiceId: request.invoiceId,
        creditNoteId: request.creditNoteId,
        issuedOn: request.issuedOn,
        now: context.occurredAt,
      },
      state,
    );
    if (!decision.ok) return decision;
    try {
      await store.append(
        streamName,
        decision.events.map((event) => ({
          id: eventId!,
          type: event.type,
          data: event.data,
          metadata: metadataFor(context),
        })),
        revision === null ? 'no_stream' : revision,
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision) || attempt >= seriesConflictRetriesMax) throw error;
      // Another issuer took the number we read as next: back off a little so the losers of one
      // round do not all collide again, then read the series afresh.
      await sleep(Math.min(attempt, 20) * seriesBackoffStepMs * Math.random());
      continue;
    }
    const after = numberingDecider.evolve(state, decision.events[0]!);
    return { ok: true, assignment: assignmentFor(after, key)! };
  }
}

export async function issueInvoice(
  store: EventStore,
  input: IssueInvoiceInput,
  context: CommandContext,
): Promise<IssueInvoiceOutcome> {
  const current = await loadInvoice(store, input.invoiceId);
  if (isIssued(current)) {
    return { ok: true, number: current.invoice.number, issuedOn: current.invoice.issuedOn, completed: false };
  }
  // Step 1: refuse before a number is taken, and freeze the draft so that nothing (a void, a new
  // line) can stop it from taking the number once it is reserved.
  const started = await handleCommand(
    store,
    invoiceDecider,
    invoiceStreamName(input.invoiceId),
    { type: 'StartIssue', issuedOn: input.issuedOn, today: input.today, now: context.occurredAt },
    { ...context, idempotencyKey: `${context.idempotencyKey}#start` },
  );
  if (!started.ok) {
    if (started.refusal.code !== 'invoice_already_issued') return started;
    // Issued meanwhile by a racing call for the same invoice: report its number.
    const state = await loadInvoice(store, input.invoiceId);
    if (isIssued(state)) {
      return { ok: true, number: state.invoice.number, issuedOn: state.invoice.issuedOn, completed: false };
    }
    return started;
  }

  // Step 2.
  const reserved = await reserveNumber(
    store,
    { series: 'F', invoiceId: input.invoiceId, creditNoteId: null, issuedOn: input.issuedOn },
    context,
  );
  if (!reserved.ok) return reserved;
  const { assignment } = reserved;

  // Step 3.
  return completeIssue(store, assignment, input.today, context);
}

/** Records the issue an assignment promised. Safe to run again: an issued invoice is left alone. */
async function completeIssue(
  store: EventStore,
  assignment: Assignment,
  today: string,
  context: CommandContext,
): Promise<IssueInvoiceOutcome> {
  const command: InvoiceCommand = {
    type: 'Issue',
    number: assignment.number,
    issuedOn: assignment.issuedOn,
    // The assignment's date was valid when it was taken; a completion runs later, never earlier.
    today: today < assignment.issuedOn ? assignment.issuedOn : today,
    now: context.occurredAt,
  };
  const outcome = await handleCommand(
    store,
    invoiceDecider,
    invoiceStreamName(assignment.invoiceId),
    command,
    {
      ...context,
      idempotencyKey: `${context.idempotencyKey}#issue`,
    },
  );
  if (outcome.ok) {
    return { ok: true, number: assignment.number, issuedOn: assignment.issuedOn, completed: true };
  }
  if (outcome.refusal.code === 'invoice_already_issued') {
    const state = await loadInvoice(store, assignment.invoiceId);
    if (isIssued(state) && state.invoice.number === assignment.number) {
      return { ok: true, number: assignment.number, issuedOn: assignment.issuedOn, completed: false };
    }
  }
  // The number is taken and the invoice cannot carry it: that is a gap, which only a bug allows.
  throw new Error(
    `invoice ${assignment.invoiceId} cannot take its assigned number ${assignment.number}: ${outcome.refusal.code}`,
  );
}

/**
 * Completes every issue a series promised but whose invoice does not show it yet: the recovery
 * after a crash between steps 2 and 3. Returns the numbers it completed.
 */
export async function completeAssignedIssues(
  store: EventStore,
  year: number,
  today: string,
  context: CommandContext,
): Promise<string[]> {
  const { state } = await readFolded<NumberingEvent, NumberingState>(
    store,
    seriesStreamName('F', year),
    numberingDecider,
  );
  if (state.status === 'empty') return [];
  const completed: string[] = [];
  for (let node: Assignment | null = state.assignments; node !== null; node = node.previous) {
    const invoice = await loadInvoice(store, node.invoiceId);
    if (isIssued(invoice)) continue;
    const outcome = await completeIssue(store, node, today, {
      ...context,
      idempotencyKey: `${context.idempotencyKey}#${node.number}`,
    });
    if (outcome.ok && outcome.completed) completed.push(node.number);
  }
  return completed.reverse();
}
