// Proves every invoice command's events, the rounding rules of docs/rounding-invoices.md, and that
// refusals come from one closed vocabulary checked in one fixed order.
import { describe, expect, it } from 'vitest';
import { toMoneyJson } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import {
  type InvoiceCommand,
  invoiceDecider,
  type InvoiceRefusalCode,
  invoiceRefusalCodes,
} from './invoice.decide.ts';
import {
  creditNoteIssued,
  drafted,
  eur,
  invoiceId,
  issued,
  lineAdded,
  markedOverdue,
  now,
  paid,
  paymentApplied,
  tenantId,
  voided,
  writtenOff,
  xof,
} from './invoice.fixtures.ts';
import type { InvoiceEvent } from './invoice.ts';

const invoice = spec(invoiceDecider);

const issue = (overrides: Partial<Extract<InvoiceCommand, { type: 'Issue' }>> = {}): InvoiceCommand => ({
  type: 'Issue',
  number: 'F-2026-000001',
  issuedOn: '2026-03-01',
  today: '2026-03-01',
  now,
  ...overrides,
});

const creditNoteStarted = (creditNoteId: string, net: string): InvoiceEvent => ({
  type: 'CreditNoteStarted',
  data: {
    invoiceId,
    creditNoteId,
    issuedOn: '2026-03-10',
    reason: 'service outage',
    net: toMoneyJson(xof(net)),
    startedAt: now,
  },
});

const issuedEvent = (events: readonly InvoiceEvent[]) => {
  const event = events[0];
  if (event?.type !== 'InvoiceIssued') throw new Error('expected InvoiceIssued first');
  return event.data;
};

describe('CreateDraft', () => {
  it('records the tenant billing profile, with 15 days of payment terms by default', () => {
    invoice
      .given([])
      .when({
        type: 'CreateDraft',
        invoiceId,
        tenantId,
        currency: 'XOF',
        country: 'SN',
        taxExemptionMention: null,
        now,
      })
      .thenEvents([drafted()]);
  });

  it('keeps the tenant’s own payment terms and exemption mention', () => {
    const mention = 'Exonération de TVA — art. 361 du CGI';
    invoice
      .given([])
      .when({
        type: 'CreateDraft',
        invoiceId,
        tenantId,
        currency: 'XOF',
        country: 'SN',
        taxExemptionMention: mention,
        paymentTermsDays: 30,
        now,
      })
      .thenEvents([drafted({ taxExemptionMention: mention, paymentTermsDays: 30 })]);
  });
});

describe('AddLine and RemoveLine', () => {
  it('records the line with its amount rounded half-up once: 2.5 × 3 XOF = 8 XOF', () => {
    const [event] = invoice
      .given([drafted()])
      .when({
        type: 'AddLine',
        lineId: 'sms',
        kind: 'usage',
        description: 'SMS au-delà du forfait',
        quantity: '2.5',
        unitPrice: xof('3'),
        period: { from: '2026-02-01', to: '2026-02-28' },
        now,
      })
      .events();
    expect(event).toEqual({
      type: 'InvoiceLineAdded',
      data: {
        invoiceId,
        lineId: 'sms',
        kind: 'usage',
        description: 'SMS au-delà du forfait',
        quantity: '2.5',
        unitPrice: { amountMinor: '3', currency: 'XOF' },
        amount: { amountMinor: '8', currency: 'XOF' },
        period: { from: '2026-02-01', to: '2026-02-28' },
      },
    });
  });

  it('rounds a negative half away from zero, so a discount mirrors the charge: 0.5 × −1 = −1', () => {
    const [event] = invoice
      .given([drafted()])
      .when({
        type: 'AddLine',
        lineId: 'promo',
        kind: 'discount',
        description: 'Code BIENVENUE',
        quantity: '0.5',
        unitPrice: xof('-1'),
        period: null,
        now,
      })
      .events();
    expect(event?.type === 'InvoiceLineAdded' && event.data.amount).toEqual({
      amountMinor: '-1',
      currency: 'XOF',
    });
  });

  it('removes a line from the draft', () => {
    invoice
      .given([drafted(), lineAdded('l1', xof('100'))])
      .when({ type: 'RemoveLine', lineId: 'l1', now })
      .thenEvents([{ type: 'InvoiceLineRemoved', data: { invoiceId, lineId: 'l1' } }]);
  });
});

describe('Issue', () => {
  it('applies 18 % TVA in Senegal and sets the due date 15 days later', () => {
    invoice
      .given([drafted(), lineAdded('l1', xof('10000'))])
      .when(issue())
      .thenEvents([
        {
          type: 'InvoiceIssued',
          data: {
            invoiceId,
            tenantId,
            number: 'F-2026-000001',
            issuedOn: '2026-03-01',
            dueOn: '2026-03-16',
            taxRatePercent: '18',
            taxExemptionMention: null,
            subtotal: { amountMinor: '10000', currency: 'XOF' },
            tax: { amountMinor: '1800', currency: 'XOF' },
            total: { amountMinor: '11800', currency: 'XOF' },
            issuedAt: now,
          },
        },
      ]);
  });

  it('rounds tax half-up to the franc: HT 9 999 → TVA 1 799.82 → 1 800', () => {
    const data = issuedEvent(
      invoice
        .given([drafted(), lineAdded('l1', xof('9999'))])
        .when(issue())
        .events(),
    );
    expect(data.tax).toEqual(toMoneyJson(xof('1800')));
  });

  it('rounds an exact half up: HT 25 → TVA 4.5 → 5', () => {
    const data = issuedEvent(
      invoice
        .given([drafted(), lineAdded('l1', xof('25'))])
        .when(issue())
        .events(),
    );
    expect(data.tax).toEqual(toMoneyJson(xof('5')));
  });

  it('computes tax once per invoice, not per line: two lines of 25 → 50 × 18 % = 9 (not 5 + 5)', () => {
    const data = issuedEvent(
      invoice
        .given([drafted(), lineAdded('a', xof('25')), lineAdded('b', xof('25'))])
        .when(issue())
        .events(),
    );
    expect([data.subtotal, data.tax, data.total]).toEqual([
      toMoneyJson(xof('50')),
      toMoneyJson(xof('9')),
      toMoneyJson(xof('59')),
    ]);
  });

  it('rounds to the cent in EUR: 10.25 × 18 % = 1.845 → 1.85', () => {
    const data = issuedEvent(
      invoice
        .given([drafted({ currency: 'EUR' }), lineAdded('l1', eur('10.25'))])
        .when(issue())
        .events(),
    );
    expect(data.tax).toEqual({ amountMinor: '185', currency: 'EUR' });
  });

  it('nets discount and proration lines before tax', () => {
    const data = issuedEvent(
      invoice
        .given([
          drafted(),
          lineAdded('plan', xof('45000')),
          lineAdded('unused', xof('-7500'), { kind: 'proration' }),
          lineAdded('promo', xof('-2500'), { kind: 'discount' }),
        ])
        .when(issue())
        .events(),
    );
    expect([data.subtotal, data.tax, data.total]).toEqual([
      toMoneyJson(xof('35000')),
      toMoneyJson(xof('6300')),
      toMoneyJson(xof('41300')),
    ]);
  });

  it('charges no tax to an exempt tenant and prints its exemption mention', () => {
    const mention = 'Exonération de TVA — art. 361 du CGI';
    const data = issuedEvent(
      invoice
        .given([drafted({ taxExemptionMention: mention }), lineAdded('l1', xof('10000'))])
        .when(issue())
        .events(),
    );
    expect(data).toMatchObject({ taxRatePercent: '0', taxExemptionMention: mention });
    expect(data.total).toEqual(toMoneyJson(xof('10000')));
  });

  it('uses the tenant’s payment terms for the due date, across a month end', () => {
    const data = issuedEvent(
      invoice
        .given([drafted({ paymentTermsDays: 30 }), lineAdded('l1', xof('100'))])
        .when(issue({ issuedOn: '2026-02-15', today: '2026-02-15' }))
        .events(),
    );
    expect(data.dueOn).toBe('2026-03-17');
  });

  it('records a fully discounted invoice as paid on its issue date', () => {
    const events = invoice
      .given([
        drafted(),
        lineAdded('plan', xof('15000')),
        lineAdded('promo', xof('-15000'), { kind: 'discount' }),
      ])
      .when(issue())
      .events();
    expect(events.map((event) => event.type)).toEqual(['InvoiceIssued', 'InvoicePaid']);
  });
});

describe('StartIssue', () => {
  const start: InvoiceCommand = { type: 'StartIssue', issuedOn: '2026-03-01', today: '2026-03-01', now };
  const started: InvoiceEvent = {
    type: 'InvoiceIssueStarted',
    data: { invoiceId, issuedOn: '2026-03-01', startedAt: now },
  };
  const draft = [drafted(), lineAdded('l1', xof('10000'))];

  it('freezes a draft that could be issued, before a number is reserved', () => {
    invoice.given(draft).when(start).thenEvents([started]);
  });

  it('refuses what Issue would refuse, so no number is reserved for it', () => {
    invoice.given([drafted()]).when(start).thenRefuses('invoice_has_no_lines');
  });

  it('records nothing the second time: a retried issue carries on', () => {
    invoice
      .given([...draft, started])
      .when(start)
      .thenEvents([]);
  });

  it('then the invoice can no longer change nor be voided, only issued', () => {
    const frozen = [...draft, started];
    invoice.given(frozen).when({ type: 'Void', reason: 'oops', now }).thenRefuses('invoice_not_draft');
    invoice.given(frozen).when({ type: 'RemoveLine', lineId: 'l1', now }).thenRefuses('invoice_not_draft');
    expect(issuedEvent(invoice.given(frozen).when(issue()).events()).total).toEqual(
      toMoneyJson(xof('11800')),
    );
  });
});

describe('ApplyPayment', () => {
  const pay = (paymentId: string, major: string, appliedOn = '2026-03-05'): InvoiceCommand => ({
    type: 'ApplyPayment',
    paymentId,
    amount: xof(major),
    appliedOn,
    now,
  });

  it('leaves the invoice partially paid when less than the amount due arrives', () => {
    const history = issued('10000', '1800');
    invoice
      .given(history)
      .when(pay('p1', '5000'))
      .thenEvents([paymentApplied('p1', '5000', '5000', '6800')]);
    const state = fold(invoiceDecider, [...history, paymentApplied('p1', '5000', '5000', '6800')]);
    expect(state.status).toBe('partially_paid');
  });

  it('applies at most the amount due, reports the excess, and records the invoice paid', () => {
    invoice
      .given([...issued('10000', '1800'), paymentApplied('p1', '5000', '5000', '6800')])
      .when(pay('p2', '10000', '2026-03-06'))
      .thenEvents([paymentApplied('p2', '10000', '6800', '0', '2026-03-06'), paid('2026-03-06')]);
  });

  it('settles an overdue invoice, which then reads paid', () => {
    const history = [...issued('10000', '1800'), markedOverdue('11800')];
    const events = invoice
      .given(history)
      .when(pay('p1', '11800', '2026-03-20'))
      .events();
    expect(fold(invoiceDecider, [...history, ...events])).toMatchObject({
      status: 'paid',
      paidOn: '2026-03-20',
    });
  });

  it('keeps an overdue invoice overdue after a partial payment', () => {
    const history = [...issued('10000', '1800'), markedOverdue('11800')];
    const events = invoice
      .given(history)
      .when(pay('p1', '1000', '2026-03-20'))
      .events();
    expect(fold(invoiceDecider, [...history, ...events]).status).toBe('overdue');
  });
});

describe('ApplyCustomerCredit', () => {
  it('applies the customer’s credit balance like a payment, capped at the amount due', () => {
    invoice
      .given(issued('10000', '1800'))
      .when({
        type: 'ApplyCustomerCredit',
        applicationId: 'cb-1',
        amount: xof('20000'),
        appliedOn: '2026-03-01',
        now,
      })
      .thenEvents([
        {
          type: 'InvoiceCustomerCreditApplied',
          data: {
            invoiceId,
            applicationId: 'cb-1',
            amountOffered: toMoneyJson(xof('20000')),
            amountApplied: toMoneyJson(xof('11800')),
            excess: toMoneyJson(xof('8200')),
            amountDueAfter: toMoneyJson(xof('0')),
            appliedOn: '2026-03-01',
            appliedAt: now,
          },
        },
        paid('2026-03-01'),
      ]);
  });
});

describe('MarkOverdue, WriteOff, Void', () => {
  it('marks an unpaid invoice overdue the day after its due date', () => {
    invoice
      .given(issued('10000', '1800'))
      .when({ type: 'MarkOverdue', today: '2026-03-17', now })
      .thenEvents([markedOverdue('11800', '2026-03-17')]);
  });

  it('writes off what is still due as bad debt', () => {
    invoice
      .given([
        ...issued('10000', '1800'),
        paymentApplied('p1', '1800', '1800', '10000'),
        markedOverdue('10000'),
      ])
      .when({ type: 'WriteOff', reason: 'customer liquidated', writtenOffOn: '2026-09-01', now })
      .thenEvents([writtenOff('10000')]);
  });

  it('voids a draft', () => {
    invoice
      .given([drafted(), lineAdded('l1', xof('100'))])
      .when({ type: 'Void', reason: 'duplicate draft', now })
      .thenEvents([voided()]);
  });
});

describe('IssueCreditNote', () => {
  const credit = (
    creditNoteId: string,
    sequence: number,
    net: string | 'full',
  ): Extract<InvoiceCommand, { type: 'IssueCreditNote' }> => ({
    type: 'IssueCreditNote',
    creditNoteId,
    number: `AV-2026-${String(sequence).padStart(6, '0')}`,
    issuedOn: '2026-03-10',
    today: '2026-03-10',
    reason: 'service outage',
    credit: net === 'full' ? { kind: 'full' } : { kind: 'partial', net: xof(net) },
    now,
  });

  it('credits part of an unpaid invoice against its amount due', () => {
    invoice
      .given(issued('10000', '1800'))
      .when(credit('cn1', 1, '5000'))
      .thenEvents([
        creditNoteIssued('cn1', 1, { net: '5000', tax: '900', appliedToDue: '5900', dueAfter: '5900' }),
      ]);
  });

  it('credits a paid invoice to the customer’s balance, and the invoice stays paid', () => {
    const history = [...issued('10000', '1800'), paymentApplied('p1', '11800', '11800', '0'), paid()];
    const event = creditNoteIssued('cn1', 1, { net: '5000', tax: '900', appliedToDue: '0', dueAfter: '0' });
    invoice
      .given(history)
      .when(credit('cn1', 1, '5000'))
      .thenEvents([event]);
    expect(fold(invoiceDecider, [...history, event]).status).toBe('paid');
  });

  it('credits the rest in full and the invoice reads credited', () => {
    const history = [
      ...issued('10000', '1800'),
      creditNoteIssued('cn1', 1, { net: '5000', tax: '900', appliedToDue: '5900', dueAfter: '5900' }),
    ];
    const event = creditNoteIssued('cn2', 2, {
      net: '5000',
      tax: '900',
      appliedToDue: '5900',
      dueAfter: '0',
    });
    invoice
      .given(history)
      .when(credit('cn2', 2, 'full'))
      .thenEvents([event]);
    expect(fold(invoiceDecider, [...history, event]).status).toBe('credited');
  });

  it('records an invoice paid when a credit note settles the balance after a partial payment', () => {
    invoice
      .given([...issued('10000', '1800'), paymentApplied('p1', '5900', '5900', '5900')])
      .when(credit('cn1', 1, '5000'))
      .thenEvents([
        creditNoteIssued('cn1', 1, { net: '5000', tax: '900', appliedToDue: '5900', dueAfter: '0' }),
        paid('2026-03-10'),
      ]);
  });

  it('credits tax cumulatively so partial credits never exceed the invoice’s tax (10 XOF, tax 2)', () => {
    // Rounded one by one, 3, 3 and 4 XOF at 18 % would credit 1 + 1 + 1 = 3 XOF of tax.
    const history: InvoiceEvent[] = [...issued('10', '2')];
    const taxes: string[] = [];
    for (const [index, net] of ['3', '3', '4'].entries()) {
      const events = invoice
        .given(history)
        .when(credit(`cn${index}`, index + 1, net))
        .events();
      const [event] = events;
      if (event?.type !== 'CreditNoteIssued') throw new Error('expected a credit note');
      taxes.push(event.data.tax.amountMinor);
      history.push(...events);
    }
    expect(taxes).toEqual(['1', '0', '1']);
    expect(fold(invoiceDecider, history).status).toBe('credited');
  });
});

describe('StartCreditNote and CompleteCreditNote', () => {
  const start = (
    creditNoteId: string,
    credit: Extract<InvoiceCommand, { type: 'StartCreditNote' }>['credit'],
  ): InvoiceCommand => ({
    type: 'StartCreditNote',
    creditNoteId,
    issuedOn: '2026-03-10',
    today: '2026-03-10',
    reason: 'service outage',
    credit,
    now,
  });

  it('records the content of a full credit note before its number is known', () => {
    invoice
      .given(issued('10000', '1800'))
      .when(start('cn1', { kind: 'full' }))
      .thenEvents([creditNoteStarted('cn1', '10000')]);
  });

  it('counts a started credit note against what is left, so two in flight cannot exceed the invoice', () => {
    invoice
      .given([...issued('10000', '1800'), creditNoteStarted('cn1', '6000')])
      .when(start('cn2', { kind: 'partial', net: xof('4001') }))
      .thenRefuses('credit_exceeds_invoice');
  });

  it('records nothing when the same credit note is started again', () => {
    invoice
      .given([...issued('10000', '1800'), creditNoteStarted('cn1', '6000')])
      .when(start('cn1', { kind: 'full' }))
      .thenEvents([]);
  });

  it('completes a started credit note from its recorded content and the assigned number', () => {
    const history = [...issued('10000', '1800'), creditNoteStarted('cn1', '5000')];
    const event = creditNoteIssued('cn1', 1, {
      net: '5000',
      tax: '900',
      appliedToDue: '5900',
      dueAfter: '5900',
    });
    invoice
      .given(history)
      .when({
        type: 'CompleteCreditNote',
        creditNoteId: 'cn1',
        number: 'AV-2026-000001',
        today: '2026-03-11',
        now,
      })
      .thenEvents([event]);
    const state = fold(invoiceDecider, [...history, event]);
    expect(state).toMatchObject({ status: 'issued', account: { pendingCreditNotes: [] } });
  });
});

/**
 * One table, from the top rule down: each row breaks its rule and, where the command allows, rules
 * further down as well, so the row also proves that a higher rule wins.
 */
describe('refusals', () => {
  const draft = [drafted(), lineAdded('l1', xof('10000'))];
  const open = issued('10000', '1800');
  const payment = (paymentId: string, major: string, currency: 'XOF' | 'EUR' = 'XOF'): InvoiceCommand => ({
    type: 'ApplyPayment',
    paymentId,
    amount: currency === 'XOF' ? xof(major) : eur(major),
    appliedOn: '2026-03-05',
    now,
  });
  const addLine = (
    overrides: Partial<Extract<InvoiceCommand, { type: 'AddLine' }>> = {},
  ): InvoiceCommand => ({
    type: 'AddLine',
    lineId: 'l2',
    kind: 'one_off',
    description: 'Installation',
    quantity: '1',
    unitPrice: xof('5000'),
    period: null,
    now,
    ...overrides,
  });
  const creditNote = (
    overrides: Partial<Extract<InvoiceCommand, { type: 'IssueCreditNote' }>> = {},
  ): InvoiceCommand => ({
    type: 'IssueCreditNote',
    creditNoteId: 'cn1',
    number: 'AV-2026-000001',
    issuedOn: '2026-03-10',
    today: '2026-03-10',
    reason: 'service outage',
    credit: { kind: 'partial', net: xof('1000') },
    now,
    ...overrides,
  });
  const fullyCredited = [
    ...open,
    creditNoteIssued('cn0', 1, { net: '10000', tax: '1800', appliedToDue: '11800', dueAfter: '0' }),
  ];
  const manyLines = [drafted(), ...Array.from({ length: 200 }, (_, i) => lineAdded(`x${i}`, xof('1')))];

  const table: ReadonlyArray<readonly [InvoiceRefusalCode, string, readonly InvoiceEvent[], InvoiceCommand]> =
    [
      ['invoice_not_found', 'a payment to an unknown invoice', [], payment('p1', '-1', 'EUR')],
      [
        'invoice_already_exists',
        'a second draft with the same id, even with bad terms',
        draft,
        {
          type: 'CreateDraft',
          invoiceId,
          tenantId,
          currency: 'XOF',
          country: 'sn',
          taxExemptionMention: null,
          paymentTermsDays: -1,
          now,
        },
      ],
      ['invoice_voided', 'issuing a voided draft', [...draft, voided()], issue({ number: 'bad' })],
      [
        'invoice_written_off',
        'paying a written-off invoice',
        [...open, writtenOff('11800')],
        payment('p1', '0'),
      ],
      ['invoice_not_draft', 'adding a line to an issued invoice', open, addLine({ unitPrice: eur('1') })],
      ['invoice_already_issued', 'issuing twice', open, issue({ number: 'F-2026-000002' })],
      ['invoice_not_issued', 'paying a draft', draft, payment('p1', '-5')],
      [
        'payment_already_applied',
        'the same payment twice, even on a paid invoice',
        [...open, paymentApplied('p1', '11800', '11800', '0'), paid()],
        payment('p1', '11800', 'EUR'),
      ],
      [
        'customer_credit_already_applied',
        'the same credit application twice',
        [
          ...open,
          {
            type: 'InvoiceCustomerCreditApplied',
            data: {
              invoiceId,
              applicationId: 'cb-1',
              amountOffered: toMoneyJson(xof('100')),
              amountApplied: toMoneyJson(xof('100')),
              excess: toMoneyJson(xof('0')),
              amountDueAfter: toMoneyJson(xof('11700')),
              appliedOn: '2026-03-02',
              appliedAt: now,
            },
          },
        ],
        {
          type: 'ApplyCustomerCredit',
          applicationId: 'cb-1',
          amount: xof('0'),
          appliedOn: '2026-03-05',
          now,
        },
      ],
      [
        'credit_note_already_issued',
        'the same credit note twice, even when nothing is left to credit',
        fullyCredited,
        creditNote({ creditNoteId: 'cn0' }),
      ],
      [
        'credit_note_not_started',
        'numbering a credit note that was never started, with a bad number',
        open,
        { type: 'CompleteCreditNote', creditNoteId: 'cn9', number: 'bad', today: '2026-03-10', now },
      ],
      [
        'credit_note_pending',
        'writing off while a credit note is being numbered, without a reason',
        [...open, creditNoteStarted('cn1', '1000')],
        { type: 'WriteOff', reason: ' ', writtenOffOn: '2026-09-01', now },
      ],
      [
        'invoice_fully_credited',
        'crediting a wholly credited invoice',
        fullyCredited,
        creditNote({ credit: { kind: 'partial', net: eur('1') } }),
      ],
      ['currency_mismatch', 'a payment in another currency', open, payment('p1', '-1', 'EUR')],
      [
        'amount_not_positive',
        'a zero credit note that also lacks a reason',
        open,
        creditNote({ credit: { kind: 'partial', net: xof('0') }, reason: ' ' }),
      ],
      [
        'payment_terms_invalid',
        'negative payment terms with a bad country',
        [],
        {
          type: 'CreateDraft',
          invoiceId,
          tenantId,
          currency: 'XOF',
          country: 'sn',
          taxExemptionMention: null,
          paymentTermsDays: -1,
          now,
        },
      ],
      [
        'country_invalid',
        'a country that is not ISO alpha-2, with an empty mention',
        [],
        {
          type: 'CreateDraft',
          invoiceId,
          tenantId,
          currency: 'XOF',
          country: 'sn',
          taxExemptionMention: '',
          now,
        },
      ],
      ['invoice_limit_reached', 'a 201st line with a taken id', manyLines, addLine({ lineId: 'x0' })],
      [
        'line_id_taken',
        'a line id used twice, with a bad quantity',
        draft,
        addLine({ lineId: 'l1', quantity: '0' }),
      ],
      [
        'line_not_found',
        'removing a line that is not there',
        draft,
        { type: 'RemoveLine', lineId: 'nope', now },
      ],
      [
        'line_quantity_invalid',
        'a zero quantity with a wrong sign',
        draft,
        addLine({ quantity: '0', unitPrice: xof('-1') }),
      ],
      [
        'line_amount_sign_invalid',
        'a positive discount',
        draft,
        addLine({ kind: 'discount', description: '' }),
      ],
      [
        'line_period_invalid',
        'a subscription line without a period and without a description',
        draft,
        addLine({ kind: 'subscription_period', description: '' }),
      ],
      ['text_invalid', 'a line without a description', draft, addLine({ description: '   ' })],
      [
        'number_invalid',
        'an invoice number from another year, issued in the future',
        draft,
        issue({ number: 'F-2025-000001', today: '2026-02-01' }),
      ],
      [
        'issue_date_in_future',
        'issuing ahead of today',
        [drafted({ country: 'ZZ' })],
        issue({ today: '2026-02-28' }),
      ],
      [
        'issue_date_before_invoice',
        'a credit note dated before its invoice',
        issued('10000', '1800', { issuedOn: '2026-03-05' }),
        creditNote({ issuedOn: '2026-03-04', credit: { kind: 'partial', net: xof('999999') } }),
      ],
      ['tax_rate_unknown', 'a country with no rate and no lines', [drafted({ country: 'ZZ' })], issue()],
      ['invoice_has_no_lines', 'an empty draft', [drafted()], issue()],
      [
        'invoice_total_negative',
        'a draft that would credit more than it bills',
        [drafted(), lineAdded('l1', xof('100')), lineAdded('d', xof('-200'), { kind: 'discount' })],
        issue(),
      ],
      [
        'invoice_settled',
        'paying a paid invoice',
        [...open, paymentApplied('p1', '11800', '11800', '0'), paid()],
        payment('p2', '1'),
      ],
      [
        'invoice_already_overdue',
        'marking overdue twice, even before the due date',
        [...open, markedOverdue('11800')],
        { type: 'MarkOverdue', today: '2026-03-01', now },
      ],
      [
        'invoice_not_yet_due',
        'marking overdue on the due date itself',
        open,
        { type: 'MarkOverdue', today: '2026-03-16', now },
      ],
      [
        'credit_exceeds_invoice',
        'crediting more than is left',
        [
          ...open,
          creditNoteIssued('cn0', 1, { net: '6000', tax: '1080', appliedToDue: '7080', dueAfter: '4720' }),
        ],
        creditNote({ number: 'AV-2026-000002', credit: { kind: 'partial', net: xof('4001') } }),
      ],
    ];

  it('covers every refusal code once, in the order of the vocabulary', () => {
    expect(table.map(([code]) => code)).toEqual([...invoiceRefusalCodes]);
  });

  it.each(table)('%s: %s', (code, _why, history, command) => {
    invoice.given(history).when(command).thenRefuses(code);
  });
});
