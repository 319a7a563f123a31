// Proves the payment decider records money once, flags amounts that differ from the session,
// never refunds more than was paid, and refuses everything else with one code from a closed list.
import { describe, expect, it } from 'vitest';
import { money, moneyOf } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import { type PaymentCommand, paymentDecider, paymentRefusalCodes } from './payment.decide.ts';
import type { PaymentEvent } from './payment.ts';
import { paymentEventDefinitions } from './payment.ts';

const at = '2026-03-01T10:00:00Z';
const later = '2026-03-01T10:05:00Z';
const xof = (major: string) => moneyOf(major, 'XOF');
const json = (major: string) => ({ amountMinor: major, currency: 'XOF' as const });

const initiated: PaymentEvent = {
  type: 'PaymentInitiated',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    provider: 'wave',
    invoiceIds: ['inv-1'],
    amount: json('11800'),
    providerSessionId: 'cos-1',
    clientReference: 'pay-1',
    notifTokenSha256: null,
    paymentUrl: 'https://pay.wave.com/c/cos-1',
    initiatedAt: at,
  },
};
const succeeded: PaymentEvent = {
  type: 'PaymentSucceeded',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    amount: json('11800'),
    providerTransactionId: 'T1',
    succeededAt: later,
  },
};
const failed: PaymentEvent = {
  type: 'PaymentFailed',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    failureCode: 'insufficient-funds',
    failureMessage: '',
    failedAt: later,
  },
};
const flagged: PaymentEvent = {
  type: 'PaymentFlaggedForReview',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    reason: 'amount_mismatch',
    expectedAmount: json('11800'),
    receivedAmount: json('100'),
    providerTransactionId: 'T1',
    flaggedAt: later,
  },
};
const refundedPart = (refundId: string, major: string): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    refundId,
    amount: json(major),
    kind: major === '11800' ? 'full' : 'partial',
    creditNoteId: null,
    manual: true,
    reason: 'geste commercial',
    refundedAt: later,
  },
});

const initiate = (
  over: Partial<Extract<PaymentCommand, { type: 'InitiatePayment' }>['data']> = {},
): PaymentCommand => ({
  type: 'InitiatePayment',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    provider: 'wave',
    invoiceIds: ['inv-1'],
    amount: xof('11800'),
    providerSessionId: 'cos-1',
    clientReference: 'pay-1',
    notifTokenSha256: null,
    paymentUrl: 'https://pay.wave.com/c/cos-1',
    initiatedAt: at,
    ...over,
  },
});
const success = (
  major: string,
  txn: string | null = 'T1',
  currency: 'XOF' | 'EUR' = 'XOF',
): PaymentCommand => ({
  type: 'RecordPaymentSuccess',
  data: {
    paymentId: 'pay-1',
    amount: moneyOf(major, currency),
    providerTransactionId: txn,
    succeededAt: later,
  },
});
const failure: PaymentCommand = {
  type: 'RecordPaymentFailure',
  data: { paymentId: 'pay-1', failureCode: 'insufficient-funds', failureMessage: '', failedAt: later },
};
const refund = (major: string, refundId = 'r-1', currency: 'XOF' | 'EUR' = 'XOF'): PaymentCommand => ({
  type: 'RefundPayment',
  data: {
    paymentId: 'pay-1',
    refundId,
    amount: moneyOf(major, currency),
    creditNoteId: null,
    manual: true,
    reason: 'geste commercial',
    refundedAt: later,
  },
});
const manual = (major = '50000'): PaymentCommand => ({
  type: 'RecordManualPayment',
  data: {
    paymentId: 'pay-1',
    tenantId: 'tenant-1',
    method: 'bank_transfer',
    reference: 'VIR-2026-0042',
    receivedOn: '2026-02-28',
    amount: xof(major),
    invoiceIds: [],
    recordedAt: at,
  },
});

const acceptReceived: PaymentCommand = {
  type: 'AcceptReceivedAmount',
  data: { paymentId: 'pay-1', acceptedAt: later },
};
const withReceived = (
  event: PaymentEvent,
  receivedAmount: { amountMinor: string; currency: 'XOF' | 'EUR' },
): PaymentEvent =>
  event.type === 'PaymentFlaggedForReview'
    ? { type: event.type, data: { ...event.data, reason: 'currency_mismatch', receivedAmount } }
    : event;

const allocateAll = (credit = '0'): PaymentCommand => ({
  type: 'AllocatePayment',
  data: {
    paymentId: 'pay-1',
    allocations:
      credit === '11800' ? [] : [{ invoiceId: 'inv-1', amount: money(11800n - BigInt(credit), 'XOF') }],
    credit: xof(credit),
    allocatedAt: later,
  },
});

describe('payment decider: refusals, from the top rule down', () => {
  const table: ReadonlyArray<{
    name: string;
    given: PaymentEvent[];
    when: PaymentCommand;
    code: (typeof paymentRefusalCodes)[number];
  }> = [
    {
      name: 'initiate twice with another session',
      given: [initiated],
      when: initiate({ providerSessionId: 'cos-2' }),
      code: 'payment_already_exists',
    },
    {
      name: 'manual payment over an online one',
      given: [initiated],
      when: manual(),
      code: 'payment_already_exists',
    },
    { name: 'success for an unknown payment', given: [], when: success('11800'), code: 'payment_not_found' },
    { name: 'failure for an unknown payment', given: [], when: failure, code: 'payment_not_found' },
    { name: 'refund of an unknown payment', given: [], when: refund('1'), code: 'payment_not_found' },
    { name: 'accept for an unknown payment', given: [], when: acceptReceived, code: 'payment_not_found' },
    {
      name: 'accept a payment not held for review',
      given: [initiated],
      when: acceptReceived,
      code: 'payment_not_under_review',
    },
    {
      name: 'accept a payment that succeeded normally',
      given: [initiated, succeeded],
      when: acceptReceived,
      code: 'payment_not_under_review',
    },
    {
      name: 'accept money collected in another currency',
      given: [initiated, withReceived(flagged, { amountMinor: '118', currency: 'EUR' })],
      when: acceptReceived,
      code: 'review_currency_mismatch',
    },
    {
      name: 'accept a collected amount of nothing',
      given: [initiated, withReceived(flagged, json('0'))],
      when: acceptReceived,
      code: 'amount_not_positive',
    },
    {
      name: 'initiate for nothing',
      given: [],
      when: initiate({ amount: xof('0') }),
      code: 'amount_not_positive',
    },
    { name: 'manual payment of nothing', given: [], when: manual('0'), code: 'amount_not_positive' },
    {
      name: 'refund of nothing',
      given: [initiated, succeeded],
      when: refund('0'),
      code: 'amount_not_positive',
    },
    {
      name: 'initiate without invoices',
      given: [],
      when: initiate({ invoiceIds: [] }),
      code: 'invoice_ids_missing',
    },
    {
      name: 'initiate naming an invoice twice',
      given: [],
      when: initiate({ invoiceIds: ['inv-1', 'inv-1'] }),
      code: 'invoice_ids_invalid',
    },
    {
      name: 'initiate naming too many invoices',
      given: [],
      when: initiate({ invoiceIds: Array.from({ length: 101 }, (_, i) => `inv-${i}`) }),
      code: 'invoice_ids_invalid',
    },
    {
      name: 'another success while held for review',
      given: [initiated, flagged],
      when: success('11800', 'T2'),
      code: 'payment_under_review',
    },
    {
      name: 'failure while held for review',
      given: [initiated, flagged],
      when: failure,
      code: 'payment_under_review',
    },
    {
      name: 'refund while held for review',
      given: [initiated, flagged],
      when: refund('1'),
      code: 'payment_under_review',
    },
    {
      name: 'second success with another transaction',
      given: [initiated, succeeded],
      when: success('11800', 'T2'),
      code: 'payment_already_succeeded',
    },
    {
      name: 'late failure after success',
      given: [initiated, succeeded],
      when: failure,
      code: 'payment_already_succeeded',
    },
    {
      name: 'refund before any money came',
      given: [initiated],
      when: refund('1'),
      code: 'payment_not_succeeded',
    },
    {
      name: 'refund of a failed payment',
      given: [initiated, failed],
      when: refund('1'),
      code: 'payment_not_succeeded',
    },
    {
      name: 'refund after a full refund',
      given: [initiated, succeeded, refundedPart('r-1', '11800')],
      when: refund('1', 'r-2'),
      code: 'payment_fully_refunded',
    },
    {
      name: 'refund in another currency',
      given: [initiated, succeeded],
      when: refund('1', 'r-1', 'EUR'),
      code: 'refund_currency_mismatch',
    },
    {
      name: 'refund above the amount paid',
      given: [initiated, succeeded],
      when: refund('11801'),
      code: 'refund_exceeds_paid',
    },
    {
      name: 'refunds adding up above the amount paid',
      given: [initiated, succeeded, refundedPart('r-1', '10000')],
      when: refund('1801', 'r-2'),
      code: 'refund_exceeds_paid',
    },
    { name: 'allocate an unknown payment', given: [], when: allocateAll(), code: 'payment_not_found' },
    {
      name: 'allocate while held for review',
      given: [initiated, flagged],
      when: allocateAll(),
      code: 'payment_under_review',
    },
    {
      name: 'allocate money not received',
      given: [initiated],
      when: allocateAll(),
      code: 'payment_not_succeeded',
    },
    {
      name: 'allocate after a full refund',
      given: [initiated, succeeded, refundedPart('r-1', '11800')],
      when: allocateAll(),
      code: 'payment_fully_refunded',
    },
    {
      name: 'one refund too many',
      given: [initiated, succeeded, ...Array.from({ length: 50 }, (_, i) => refundedPart(`r-${i}`, '1'))],
      when: refund('1', 'r-x'),
      code: 'refunds_limit_reached',
    },
  ];

  it.each(table)('$name → $code', ({ given, when, code }) => {
    spec(paymentDecider).given(given).when(when).thenRefuses(code);
  });

  it('the table covers every refusal code', () => {
    expect(new Set(table.map((row) => row.code))).toEqual(new Set(paymentRefusalCodes));
  });
});

describe('payment decider: what gets recorded', () => {
  it('initiates with the session, and a retry of the same initiation records nothing more', () => {
    spec(paymentDecider).given([]).when(initiate()).thenEvents([initiated]);
    spec(paymentDecider).given([initiated]).when(initiate()).thenEvents([]);
  });

  it('records a success that matches the session, once', () => {
    spec(paymentDecider).given([initiated]).when(success('11800')).thenEvents([succeeded]);
    spec(paymentDecider).given([initiated, succeeded]).when(success('11800')).thenEvents([]);
  });

  it('accepts a success after a failed attempt (the session stays open)', () => {
    spec(paymentDecider).given([initiated, failed]).when(success('11800')).thenEvents([succeeded]);
  });

  it('records a failure once', () => {
    spec(paymentDecider).given([initiated]).when(failure).thenEvents([failed]);
    spec(paymentDecider).given([initiated, failed]).when(failure).thenEvents([]);
  });

  it('flags, rather than records, an amount that differs from the session', () => {
    spec(paymentDecider).given([initiated]).when(success('100')).thenEvents([flagged]);
    spec(paymentDecider).given([initiated, flagged]).when(success('100')).thenEvents([]);
  });

  it('lets a person accept the amount collected for a flagged payment, once', () => {
    const accepted: PaymentEvent = {
      type: 'PaymentSucceeded',
      data: {
        paymentId: 'pay-1',
        tenantId: 'tenant-1',
        amount: json('100'),
        providerTransactionId: 'T1',
        succeededAt: later,
      },
    };
    spec(paymentDecider).given([initiated, flagged]).when(acceptReceived).thenEvents([accepted]);
    spec(paymentDecider).given([initiated, flagged, accepted]).when(acceptReceived).thenEvents([]);
  });

  it('flags a currency that differs from the session', () => {
    const [event] = spec(paymentDecider)
      .given([initiated])
      .when(success('118', 'T1', 'EUR'))
      .events();
    expect(event).toMatchObject({ type: 'PaymentFlaggedForReview', data: { reason: 'currency_mismatch' } });
  });

  it('refunds in parts, marks the last part full, and ignores a repeated refund id', () => {
    spec(paymentDecider)
      .given([initiated, succeeded])
      .when(refund('10000'))
      .thenEvents([refundedPart('r-1', '10000')]);
    const [last] = spec(paymentDecider)
      .given([initiated, succeeded, refundedPart('r-1', '10000')])
      .when(refund('1800', 'r-2'))
      .events();
    expect(last).toMatchObject({ data: { kind: 'full', amount: json('1800') } });
    spec(paymentDecider)
      .given([initiated, succeeded, refundedPart('r-1', '10000')])
      .when(refund('10000'))
      .thenEvents([]);
    const state = fold(paymentDecider, [
      initiated,
      succeeded,
      refundedPart('r-1', '10000'),
      refundedPart('r-2', '1800'),
    ]);
    expect(state.status).toBe('refunded');
  });

  it('records a manual payment as money received, refundable by hand', () => {
    const [event] = spec(paymentDecider).given([]).when(manual()).events();
    expect(event).toMatchObject({
      type: 'ManualPaymentRecorded',
      data: { method: 'bank_transfer', receivedOn: '2026-02-28' },
    });
    spec(paymentDecider).given([event!]).when(manual()).thenEvents([]);
    spec(paymentDecider).given([event!]).when(refund('50000')).events();
  });

  it('records the allocation plan once, and refuses a plan that does not add up', () => {
    const [planned] = spec(paymentDecider).given([initiated, succeeded]).when(allocateAll('1800')).events();
    expect(planned).toEqual({
      type: 'PaymentAllocated',
      data: {
        paymentId: 'pay-1',
        tenantId: 'tenant-1',
        allocations: [{ invoiceId: 'inv-1', amount: json('10000') }],
        credit: json('1800'),
        allocatedAt: later,
      },
    });
    spec(paymentDecider).given([initiated, succeeded, planned!]).when(allocateAll()).thenEvents([]);
    const wrong: PaymentCommand = {
      type: 'AllocatePayment',
      data: { paymentId: 'pay-1', allocations: [], credit: xof('1'), allocatedAt: later },
    };
    expect(() => paymentDecider.decide(wrong, fold(paymentDecider, [initiated, succeeded]))).toThrow(
      /does not add up/,
    );
  });

  it('writes only events that match their catalog schemas', () => {
    const byType = new Map(paymentEventDefinitions.map((d) => [d.type, d.schema]));
    for (const event of [initiated, succeeded, failed, flagged, refundedPart('r-1', '1')]) {
      expect(byType.get(event.type)!.safeParse(event.data).success).toBe(true);
    }
  });
});
