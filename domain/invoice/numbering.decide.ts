import { accept, assertNever, type Decider, type Decision, refuse } from '../shared/decider.ts';
import { isBefore, yearOf } from './calendar.ts';
import {
  assignmentFor,
  documentKey,
  evolveNumbering,
  formatDocumentNumber,
  initialNumberingState,
  type NumberingEvent,
  type NumberingState,
  type NumberSeries,
  sequencePerYearMax,
} from './numbering.ts';

/**
 * Hands out the next number of a series. The app appends the resulting event with the exact
 * revision it folded, so two issuers can never both get the same number: the loser retries on
 * fresh state and gets the next one.
 */
export type NumberingCommand = {
  readonly type: 'AssignNumber';
  readonly series: NumberSeries;
  readonly year: number;
  readonly invoiceId: string;
  /** Null for an invoice; the credit note's id in the `AV` series. */
  readonly creditNoteId: string | null;
  readonly issuedOn: string;
  readonly now: string;
};

/** The closed vocabulary, in the order the checks run. */
export const numberingRefusalCodes = [
  'series_mismatch',
  'document_already_numbered',
  'issue_date_outside_series_year',
  'issue_date_before_last_in_series',
  'series_exhausted',
] as const;
export type NumberingRefusalCode = (typeof numberingRefusalCodes)[number];

export function decideNumbering(
  command: NumberingCommand,
  state: NumberingState,
): Decision<NumberingEvent, NumberingRefusalCode> {
  switch (command.type) {
    case 'AssignNumber': {
      if (state.status === 'open' && (state.series !== command.series || state.year !== command.year)) {
        return refuse(
          'series_mismatch',
          `this stream numbers ${state.series}-${state.year}, not ${command.series}-${command.year}`,
        );
      }
      const key = documentKey(command.invoiceId, command.creditNoteId);
      const existing = assignmentFor(state, key);
      if (existing !== null) {
        // The caller completes the interrupted issue with `existing.number` instead (see the RFC).
        return refuse('document_already_numbered', `this document already has number ${existing.number}`);
      }
      if (yearOf(command.issuedOn) !== command.year) {
        return refuse(
          'issue_date_outside_series_year',
          `an issue date in ${yearOf(command.issuedOn)} cannot take a ${command.year} number`,
          'issuedOn',
        );
      }
      if (state.status === 'open' && isBefore(command.issuedOn, state.lastIssuedOn)) {
        return refuse(
          'issue_date_before_last_in_series',
          `number ${state.lastSequence} was issued on ${state.lastIssuedOn}: numbers follow issue dates`,
          'issuedOn',
        );
      }
      const sequence = state.status === 'empty' ? 1 : state.lastSequence + 1;
      if (sequence > sequencePerYearMax) {
        return refuse('series_exhausted', `series ${command.series}-${command.year} is full`);
      }
      return accept({
        type: 'InvoiceNumberAssigned',
        data: {
          series: command.series,
          year: command.year,
          sequence,
          number: formatDocumentNumber(command.series, command.year, sequence),
          invoiceId: command.invoiceId,
          creditNoteId: command.creditNoteId,
          issuedOn: command.issuedOn,
          assignedAt: command.now,
        },
      });
    }
    default:
      return assertNever(command.type, 'numbering command');
  }
}

export const numberingDecider: Decider<
  NumberingCommand,
  NumberingEvent,
  NumberingState,
  NumberingRefusalCode
> = {
  initialState: initialNumberingState,
  evolve: evolveNumbering,
  decide: decideNumbering,
};
