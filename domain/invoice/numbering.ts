import { z } from 'zod';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import type { CalendarDate } from './calendar.ts';

/**
 * The numbering aggregate: one stream per series and year (`invoice-series-F-2026`), whose only job
 * is to hand out the next number of a gapless sequence and remember which document it went to.
 *
 * Why a stream of its own (docs/rfc/003-invoice-numbering.md): a gapless sequence is a single
 * counter that every issuer of the year contends on. Putting the counter in an event stream makes
 * "the next number" an append with an exact expected revision: two issuers that race both read
 * sequence 41, one appends 42, the other gets WrongExpectedRevision, reloads and takes 43. The
 * assignment names its invoice (and credit note), so an issue interrupted after the number was
 * taken is completed from the assignment and no number is left unused.
 */

/** `F` numbers invoices, `AV` (avoir) numbers credit notes: two gapless series. */
export const numberSeries = ['F', 'AV'] as const;
export type NumberSeries = (typeof numberSeries)[number];

/** Six digits per year; the limit is named so an exhausted series refuses instead of widening. */
export const sequenceDigits = 6;
export const sequencePerYearMax = 999_999;

export const seriesStreamName = (series: NumberSeries, year: number): string =>
  `invoice-series-${series}-${year}`;

/** `F-2026-000042`. */
export function formatDocumentNumber(series: NumberSeries, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > sequencePerYearMax) {
    throw new InvariantViolation(`sequence ${sequence} outside 1..${sequencePerYearMax}`);
  }
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new InvariantViolation(`year ${year}`);
  return `${series}-${year}-${String(sequence).padStart(sequenceDigits, '0')}`;
}

const numberPattern = /^(F|AV)-(\d{4})-(\d{6})$/;

export interface DocumentNumber {
  readonly series: NumberSeries;
  readonly year: number;
  readonly sequence: number;
}

/** Reads `F-2026-000042`; null when the text is not a number of ours (sequence 0 is not). */
export function parseDocumentNumber(text: string): DocumentNumber | null {
  const match = numberPattern.exec(text);
  if (match === null) return null;
  const [, series, year = '', sequence = ''] = match;
  if (series !== 'F' && series !== 'AV') return null;
  const value = Number(sequence);
  if (value < 1) return null;
  return { series, year: Number(year), sequence: value };
}

const id = z.string().min(1).max(200);

export const invoiceNumberAssigned = defineEvent({
  type: 'InvoiceNumberAssigned',
  version: 1,
  schema: z.object({
    series: z.enum(numberSeries),
    year: z.number().int().min(1000).max(9999),
    sequence: z.number().int().min(1).max(sequencePerYearMax),
    number: z.string().regex(numberPattern),
    /** The invoice the number belongs to (for a credit note: the invoice it credits). */
    invoiceId: id,
    /** The credit note the number belongs to; null in the invoice series. */
    creditNoteId: id.nullable(),
    /** The document's issue date: the completion of an interrupted issue reuses it. */
    issuedOn: z.iso.date(),
    assignedAt: z.iso.datetime({ offset: true }),
  }),
});

export const numberingEvents = [invoiceNumberAssigned] as const;
export type NumberingEvent = EventOf<typeof invoiceNumberAssigned>;

/**
 * The assignments, newest first, as an immutable linked list: `evolve` adds one in constant time
 * (copying an array or map per event would make replaying a year of invoices quadratic), and a
 * lookup walks the list, which is bounded by `sequencePerYearMax`.
 */
export interface Assignment {
  readonly documentKey: string;
  readonly number: string;
  readonly invoiceId: string;
  readonly creditNoteId: string | null;
  readonly issuedOn: CalendarDate;
  readonly previous: Assignment | null;
}

export type NumberingState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'open';
      readonly series: NumberSeries;
      readonly year: number;
      readonly lastSequence: number;
      /** Issue dates never go back within a series: numbering is chronological. */
      readonly lastIssuedOn: CalendarDate;
      readonly assignments: Assignment;
    };

export const initialNumberingState = (): NumberingState => ({ status: 'empty' });

/** What identifies a numbered document: the credit note when there is one, else the invoice. */
export function documentKey(invoiceId: string, creditNoteId: string | null): string {
  return creditNoteId === null ? `invoice:${invoiceId}` : `credit-note:${creditNoteId}`;
}

/** The assignment already made for a document, if any: how an interrupted issue is completed. */
export function assignmentFor(state: NumberingState, key: string): Assignment | null {
  if (state.status === 'empty') return null;
  for (let node: Assignment | null = state.assignments; node !== null; node = node.previous) {
    if (node.documentKey === key) return node;
  }
  return null;
}

export function evolveNumbering(state: NumberingState, event: NumberingEvent): NumberingState {
  switch (event.type) {
    case 'InvoiceNumberAssigned': {
      const { data } = event;
      const expected = state.status === 'empty' ? 1 : state.lastSequence + 1;
      // A gap or a repeat here can only come from a bug or a tampered log: stop, do not fold on.
      if (data.sequence !== expected) {
        throw new InvariantViolation(`number ${data.number}: expected sequence ${expected}`);
      }
      const assignment: Assignment = {
        documentKey: documentKey(data.invoiceId, data.creditNoteId),
        number: data.number,
        invoiceId: data.invoiceId,
        creditNoteId: data.creditNoteId,
        issuedOn: data.issuedOn,
        previous: state.status === 'empty' ? null : state.assignments,
      };
      return {
        status: 'open',
        series: data.series,
        year: data.year,
        lastSequence: data.sequence,
        lastIssuedOn: data.issuedOn,
        assignments: assignment,
      };
    }
    default:
      return assertNever(event.type, 'numbering event');
  }
}
