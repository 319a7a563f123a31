// Proves, for every generated invoice and history: the total is the lines plus tax under the
// documented rule, credit notes never credit more than was invoiced, and replaying the recorded
// events (through their JSON form and schemas) rebuilds exactly the same state.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCatalog } from '../events/catalog.ts';
import { type CurrencyCode, money } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { type InvoiceCommand, invoiceDecider } from './invoice.decide.ts';
import { invoiceId, now, tenantId } from './invoice.fixtures.ts';
import { type InvoiceEvent, type InvoiceState, invoiceEvents, isIssued, type LineKind } from './invoice.ts';

/** An oracle written independently of the code under test: decimal.js, rounding half away from zero. */
const roundHalfUp = (value: Decimal): bigint =>
  BigInt(value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));

interface GeneratedLine {
  readonly kind: LineKind;
  readonly quantity: string;
  readonly unitPriceMinor: bigint;
}

const lineArbitrary: fc.Arbitrary<GeneratedLine> = fc
  .record({
    kind: fc.constantFrom<LineKind>('subscription_period', 'proration', 'usage', 'discount', 'one_off'),
    whole: fc.integer({ min: 0, max: 500 }),
    decimals: fc.integer({ min: 0, max: 999_999 }),
    fractional: fc.boolean(),
    price: fc.bigInt({ min: 0n, max: 5_000_000n }),
    negativeProration: fc.boolean(),
  })
  .filter(({ whole, decimals, fractional }) => whole > 0 || (fractional && decimals > 0))
  .map(({ kind, whole, decimals, fractional, price, negativeProration }) => ({
    kind,
    quantity: fractional ? `${whole}.${String(decimals).padStart(6, '0')}` : String(whole),
    unitPriceMinor:
      kind === 'discount'
        ? -(price / 20n) - 1n
        : kind === 'proration' && negativeProration
          ? -price / 4n
          : price,
  }));

const currencyArbitrary = fc.constantFrom<CurrencyCode>('XOF', 'EUR');

function draftHistory(
  currency: CurrencyCode,
  lines: readonly GeneratedLine[],
  exempt: boolean,
): InvoiceEvent[] {
  let state = invoiceDecider.initialState();
  const events: InvoiceEvent[] = [];
  const run = (command: InvoiceCommand) => {
    const decision = invoiceDecider.decide(command, state);
    if (!decision.ok) throw new Error(`unexpected refusal ${decision.refusal.code}`);
    for (const event of decision.events) {
      events.push(event);
      state = invoiceDecider.evolve(state, event);
    }
  };
  run({
    type: 'CreateDraft',
    invoiceId,
    tenantId,
    currency,
    country: 'SN',
    taxExemptionMention: exempt ? 'Exonération de TVA' : null,
    now,
  });
  for (const [index, line] of lines.entries()) {
    run({
      type: 'AddLine',
      lineId: `l${index}`,
      kind: line.kind,
      description: `line ${index}`,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor, currency),
      period: { from: '2026-03-01', to: '2026-03-31' },
      now,
    });
  }
  return events;
}

describe('invoice totals', () => {
  it('total = Σ round_half_up(quantity × unit price) + round_half_up(subtotal × rate), per invoice', () => {
    fc.assert(
      fc.property(
        currencyArbitrary,
        fc.array(lineArbitrary, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (currency, lines, exempt) => {
          const history = draftHistory(currency, lines, exempt);
          const decision = invoiceDecider.decide(
            { type: 'Issue', number: 'F-2026-000001', issuedOn: '2026-03-01', today: '2026-03-01', now },
            fold(invoiceDecider, history),
          );
          const subtotal = lines.reduce(
            (sum, line) => sum + roundHalfUp(new Decimal(line.quantity).mul(line.unitPriceMinor.toString())),
            0n,
          );
          if (subtotal < 0n) {
            expect(decision.ok ? 'accepted' : decision.refusal.code).toBe('invoice_total_negative');
            return;
          }
          if (!decision.ok) throw new Error(decision.refusal.code);
          const [issued] = decision.events;
          if (issued?.type !== 'InvoiceIssued') throw new Error('expected InvoiceIssued');
          const tax = exempt ? 0n : roundHalfUp(new Decimal(subtotal.toString()).mul('0.18'));
          expect(issued.data.subtotal).toEqual({ amountMinor: String(subtotal), currency });
          expect(issued.data.tax).toEqual({ amountMinor: String(tax), currency });
          expect(issued.data.total).toEqual({ amountMinor: String(subtotal + tax), currency });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Commands that may happen to an issued invoice, drawn from small id pools so repeats occur. */
const afterIssueCommand: fc.Arbitrary<InvoiceCommand> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('ApplyPayment' as const),
      paymentId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
      amount: fc.bigInt({ min: -10n, max: 40_000n }).map((minor) => money(minor, 'XOF')),
      appliedOn: fc.constantFrom('2026-03-02', '2026-03-20'),
      now: fc.constant(now),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('ApplyCustomerCredit' as const),
      applicationId: fc.constantFrom('c1', 'c2'),
      amount: fc.bigInt({ min: 1n, max: 20_000n }).map((minor) => money(minor, 'XOF')),
      appliedOn: fc.constant('2026-03-03'),
      now: fc.constant(now),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('IssueCreditNote' as const),
      creditNoteId: fc.constantFrom('cn1', 'cn2', 'cn3', 'cn4', 'cn5'),
      number: fc.integer({ min: 1, max: 9 }).map((n) => `AV-2026-00000${n}`),
      issuedOn: fc.constant('2026-03-10'),
      today: fc.constant('2026-03-10'),
      reason: fc.constant('geste commercial'),
      credit: fc.oneof(
        fc.constant({ kind: 'full' as const }),
        fc
          .bigInt({ min: 0n, max: 30_000n })
          .map((minor) => ({ kind: 'partial' as const, net: money(minor, 'XOF') })),
      ),
      now: fc.constant(now),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('StartCreditNote' as const),
      creditNoteId: fc.constantFrom('cn2', 'cn6'),
      issuedOn: fc.constant('2026-03-10'),
      today: fc.constant('2026-03-10'),
      reason: fc.constant('avoir en attente de numéro'),
      credit: fc.oneof(
        fc.constant({ kind: 'full' as const }),
        fc
          .bigInt({ min: 1n, max: 20_000n })
          .map((minor) => ({ kind: 'partial' as const, net: money(minor, 'XOF') })),
      ),
      now: fc.constant(now),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('CompleteCreditNote' as const),
      creditNoteId: fc.constantFrom('cn2', 'cn6'),
      number: fc.integer({ min: 1, max: 9 }).map((n) => `AV-2026-00000${n}`),
      today: fc.constant('2026-03-12'),
      now: fc.constant(now),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('MarkOverdue' as const),
      today: fc.constantFrom('2026-03-10', '2026-03-17', '2026-04-30'),
      now: fc.constant(now),
    }),
  },
  // Rare, because a write-off ends the history.
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('WriteOff' as const),
      reason: fc.constant('irrécouvrable'),
      writtenOffOn: fc.constant('2026-09-01'),
      now: fc.constant(now),
    }),
  },
);

const historyArbitrary = fc.record({
  // Small invoices, so that the generated payments and credit notes often settle them.
  lines: fc.array(
    fc.record({
      kind: fc.constantFrom<LineKind>('subscription_period', 'usage', 'one_off'),
      quantity: fc.constantFrom('1', '2', '0.5', '1.25'),
      unitPriceMinor: fc.bigInt({ min: 0n, max: 15_000n }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  exempt: fc.boolean(),
  /** Whether the issue goes through `StartIssue` first, as the use case does. */
  frozenFirst: fc.boolean(),
  commands: fc.array(afterIssueCommand, { minLength: 5, maxLength: 30 }),
});

/** Runs the commands one by one, keeping the events of those accepted. */
function play(
  lines: readonly GeneratedLine[],
  exempt: boolean,
  commands: readonly InvoiceCommand[],
  frozenFirst = false,
) {
  const events = draftHistory('XOF', lines, exempt);
  let state: InvoiceState = fold(invoiceDecider, events);
  const steps: InvoiceState[] = [];
  const start: InvoiceCommand[] = frozenFirst
    ? [{ type: 'StartIssue', issuedOn: '2026-03-01', today: '2026-03-01', now }]
    : [];
  for (const command of [
    ...start,
    { type: 'Issue', number: 'F-2026-000001', issuedOn: '2026-03-01', today: '2026-03-01', now } as const,
    ...commands,
  ]) {
    const decision = invoiceDecider.decide(command, state);
    if (!decision.ok) continue;
    for (const event of decision.events) {
      events.push(event);
      state = invoiceDecider.evolve(state, event);
    }
    steps.push(state);
  }
  return { events, state, steps };
}

describe('credit notes and settlement', () => {
  it('never credit more than the invoice total, nor more tax than it charged, and amounts stay whole', () => {
    // Counted so the property cannot pass vacuously: the generator must reach the cases it is about.
    const reached = { creditNotes: 0, whollyCredited: 0, paidThenCredited: 0, completedAfterStart: 0 };
    fc.assert(
      fc.property(historyArbitrary, ({ lines, exempt, frozenFirst, commands }) => {
        const { events, steps } = play(lines, exempt, commands, frozenFirst);
        for (const state of steps) {
          if (!isIssued(state)) continue;
          const { invoice, account } = state;
          expect(account.creditedTotal.amountMinor).toBeLessThanOrEqual(invoice.total.amountMinor);
          expect(account.creditedTax.amountMinor).toBeLessThanOrEqual(invoice.tax.amountMinor);
          const pending = account.pendingCreditNotes.reduce((sum, note) => sum + note.net.amountMinor, 0n);
          expect(account.creditedNet.amountMinor + pending).toBeLessThanOrEqual(invoice.subtotal.amountMinor);
          expect(account.amountDue.amountMinor).toBeGreaterThanOrEqual(0n);
        }
        // The sum of the credit-note events, independently of the state, against the issued total.
        const issued = events.find((event) => event.type === 'InvoiceIssued');
        if (issued?.type !== 'InvoiceIssued') throw new Error('the invoice was not issued');
        const credited = events.reduce(
          (sum, event) =>
            event.type === 'CreditNoteIssued' ? sum + BigInt(event.data.total.amountMinor) : sum,
          0n,
        );
        expect(credited).toBeLessThanOrEqual(BigInt(issued.data.total.amountMinor));
        if (credited > 0n) reached.creditNotes += 1;
        const started = new Set(
          events.flatMap((e) => (e.type === 'CreditNoteStarted' ? [e.data.creditNoteId] : [])),
        );
        if (events.some((e) => e.type === 'CreditNoteIssued' && started.has(e.data.creditNoteId))) {
          reached.completedAfterStart += 1;
        }
        if (steps.some((state) => state.status === 'credited')) reached.whollyCredited += 1;
        if (steps.some((state) => state.status === 'paid' && state.account.creditedTotal.amountMinor > 0n)) {
          reached.paidThenCredited += 1;
        }
      }),
      { numRuns: 300 },
    );
    expect(reached.creditNotes).toBeGreaterThan(75);
    expect(reached.whollyCredited).toBeGreaterThan(20);
    expect(reached.paidThenCredited).toBeGreaterThan(5);
    expect(reached.completedAfterStart).toBeGreaterThan(20);
  });

  it('keeps amount due = total − payments − customer credit − credit notes applied − write-off', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ lines, exempt, frozenFirst, commands }) => {
        const { events, state } = play(lines, exempt, commands, frozenFirst);
        if (!isIssued(state)) throw new Error('the invoice was not issued');
        let expected = state.invoice.total.amountMinor;
        const paymentIds = new Set<string>();
        for (const event of events) {
          if (event.type === 'InvoicePaymentApplied') {
            expect(paymentIds.has(event.data.paymentId)).toBe(false);
            paymentIds.add(event.data.paymentId);
            expected -= BigInt(event.data.amountApplied.amountMinor);
          }
          if (event.type === 'InvoiceCustomerCreditApplied')
            expected -= BigInt(event.data.amountApplied.amountMinor);
          if (event.type === 'CreditNoteIssued')
            expected -= BigInt(event.data.appliedToAmountDue.amountMinor);
          if (event.type === 'InvoiceWrittenOff') expected -= BigInt(event.data.amountWrittenOff.amountMinor);
        }
        expect(state.account.amountDue.amountMinor).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('replay', () => {
  it('rebuilds the same state from the stored form of any generated history', () => {
    const catalog = new EventCatalog(invoiceEvents);
    fc.assert(
      fc.property(historyArbitrary, ({ lines, exempt, frozenFirst, commands }) => {
        const { events, state } = play(lines, exempt, commands, frozenFirst);
        // What a store gives back: JSON text, validated by the event's schema on the way in.
        const stored = events.map((event) => {
          const { data } = catalog.validate(event.type, JSON.parse(JSON.stringify(event.data)));
          return { type: event.type, data } as InvoiceEvent;
        });
        expect(fold(invoiceDecider, stored)).toEqual(state);
        expect(fold(invoiceDecider, stored)).toEqual(fold(invoiceDecider, events));
      }),
      { numRuns: 200 },
    );
  });
});
