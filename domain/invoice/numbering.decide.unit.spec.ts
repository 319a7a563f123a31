// Proves the series stream hands out 1, 2, 3… with no gap or repeat, remembers which document got
// which number (so an interrupted issue is completed, not renumbered), and refuses in a fixed order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCatalog } from '../events/catalog.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import {
  type NumberingCommand,
  numberingDecider,
  type NumberingRefusalCode,
  numberingRefusalCodes,
} from './numbering.decide.ts';
import {
  assignmentFor,
  documentKey,
  formatDocumentNumber,
  type NumberingEvent,
  numberingEvents,
  type NumberingState,
  parseDocumentNumber,
  sequencePerYearMax,
} from './numbering.ts';

const now = '2026-03-01T09:00:00Z';
const series = spec(numberingDecider);
const catalog = new EventCatalog(numberingEvents);

const assign = (invoiceId: string, overrides: Partial<NumberingCommand> = {}): NumberingCommand => ({
  type: 'AssignNumber',
  series: 'F',
  year: 2026,
  invoiceId,
  creditNoteId: null,
  issuedOn: '2026-03-01',
  now,
  ...overrides,
});

const assigned = (
  sequence: number,
  invoiceId: string,
  issuedOn = '2026-03-01',
  creditNoteId: string | null = null,
): NumberingEvent => ({
  type: 'InvoiceNumberAssigned',
  data: {
    series: creditNoteId === null ? 'F' : 'AV',
    year: 2026,
    sequence,
    number: formatDocumentNumber(creditNoteId === null ? 'F' : 'AV', 2026, sequence),
    invoiceId,
    creditNoteId,
    issuedOn,
    assignedAt: now,
  },
});

describe('AssignNumber', () => {
  it('starts a series at 000001', () => {
    series
      .given([])
      .when(assign('inv-a'))
      .thenEvents([assigned(1, 'inv-a')]);
  });

  it('hands out the next number after the last one', () => {
    series
      .given([assigned(1, 'inv-a'), assigned(2, 'inv-b')])
      .when(assign('inv-c', { issuedOn: '2026-03-02' }))
      .thenEvents([assigned(3, 'inv-c', '2026-03-02')]);
  });

  it('numbers credit notes in the AV series, naming the invoice they credit', () => {
    series
      .given([])
      .when(assign('inv-a', { series: 'AV', creditNoteId: 'cn-1' }))
      .thenEvents([assigned(1, 'inv-a', '2026-03-01', 'cn-1')]);
  });

  it('finds the number already assigned to a document, which is how an interrupted issue completes', () => {
    const state = fold(numberingDecider, [assigned(1, 'inv-a'), assigned(2, 'inv-b'), assigned(3, 'inv-c')]);
    expect(assignmentFor(state, documentKey('inv-b', null))).toMatchObject({
      number: 'F-2026-000002',
      issuedOn: '2026-03-01',
    });
    expect(assignmentFor(state, documentKey('inv-z', null))).toBeNull();
  });

  it('formats and parses numbers both ways', () => {
    expect(formatDocumentNumber('F', 2026, 42)).toBe('F-2026-000042');
    expect(parseDocumentNumber('AV-2026-000007')).toEqual({ series: 'AV', year: 2026, sequence: 7 });
    expect(parseDocumentNumber('F-2026-000000')).toBeNull();
    expect(parseDocumentNumber('F-2026-42')).toBeNull();
  });

  it('refuses to fold a history with a gap: it can only come from a bug or tampering', () => {
    expect(() => fold(numberingDecider, [assigned(1, 'inv-a'), assigned(3, 'inv-c')])).toThrow(
      /expected sequence 2/,
    );
  });

  it('gives n documents the numbers 1…n in order, whatever the repeats, and replays the same', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 80 }), (requests) => {
        let history: NumberingEvent[] = [];
        for (const which of requests) {
          const decision = numberingDecider.decide(assign(`inv-${which}`), fold(numberingDecider, history));
          if (decision.ok) history = [...history, ...decision.events];
          else expect(decision.refusal.code).toBe('document_already_numbered');
        }
        const distinct = new Set(requests).size;
        expect(history.map((event) => event.data.sequence)).toEqual(
          Array.from({ length: distinct }, (_, i) => i + 1),
        );
        expect(new Set(history.map((event) => event.data.invoiceId)).size).toBe(distinct);
        // A replay of the stored form gives the same series.
        const stored = history.map((event) => ({
          type: event.type,
          data: catalog.validate(event.type, JSON.parse(JSON.stringify(event.data))).data,
        })) as NumberingEvent[];
        expect(fold(numberingDecider, stored)).toEqual(fold(numberingDecider, history));
      }),
    );
  });
});

describe('refusals', () => {
  const stateAfter = (...history: NumberingEvent[]): NumberingState => fold(numberingDecider, history);
  // Folding 999 999 assignments to reach the limit would only slow the test down: the state is
  // written out instead, exactly as evolve would leave it.
  const exhausted: NumberingState = {
    status: 'open',
    series: 'F',
    year: 2026,
    lastSequence: sequencePerYearMax,
    lastIssuedOn: '2026-12-31',
    assignments: {
      documentKey: documentKey('inv-last', null),
      number: formatDocumentNumber('F', 2026, sequencePerYearMax),
      invoiceId: 'inv-last',
      creditNoteId: null,
      issuedOn: '2026-12-31',
      previous: null,
    },
  };

  const table: ReadonlyArray<readonly [NumberingRefusalCode, string, NumberingState, NumberingCommand]> = [
    [
      'series_mismatch',
      'a 2027 request on the 2026 stream, for a document already numbered',
      stateAfter(assigned(1, 'inv-a')),
      assign('inv-a', { year: 2027 }),
    ],
    [
      'document_already_numbered',
      'the same invoice again, even with a date from another year',
      stateAfter(assigned(1, 'inv-a')),
      assign('inv-a', { issuedOn: '2027-01-01' }),
    ],
    [
      'issue_date_outside_series_year',
      'an issue date in 2027 on the 2026 series, before the last issue date',
      stateAfter(assigned(1, 'inv-a', '2026-03-10')),
      assign('inv-b', { issuedOn: '2025-12-31' }),
    ],
    [
      'issue_date_before_last_in_series',
      'a back-dated invoice on a full series',
      { ...exhausted, lastIssuedOn: '2026-12-31' },
      assign('inv-b', { issuedOn: '2026-12-30' }),
    ],
    [
      'series_exhausted',
      'a request after the last number of the year',
      exhausted,
      assign('inv-b', { issuedOn: '2026-12-31' }),
    ],
  ];

  it('covers every refusal code once, in the order of the vocabulary', () => {
    expect(table.map(([code]) => code)).toEqual([...numberingRefusalCodes]);
  });

  it.each(table)('%s: %s', (code, _why, state, command) => {
    const decision = numberingDecider.decide(command, state);
    expect(decision.ok ? 'accepted' : decision.refusal.code).toBe(code);
  });
});
