// Proves dunning: a scheduled reminder is recorded once per stage, an operator reminds an overdue
// invoice at most once a day, a promise to pay is refused in the past, too far ahead, at zero or
// above what is due, and nothing is recorded for an invoice that is not overdue.
import { describe, expect, it } from 'vitest';
import { ledgerCatalog } from '../events/index.ts';
import { moneyOf } from '../money/index.ts';
import { spec } from '../shared/testing.ts';
import {
  type DunningCommand,
  type DunningRefusalCode,
  dunningDecider,
  dunningRefusalCodes,
  type InvoiceStanding,
  promiseHorizonDaysMax,
  type ScheduledReminder,
} from './dunning.decide.ts';
import type { DunningEvent, ReminderSentEvent } from './dunning.ts';

const now = '2026-02-10T09:30:00.000Z';
const today = '2026-02-10';
const operator = { kind: 'user', id: 'user-accountant' } as const;

const scheduled = (stage: 1 | 2 | 3): ScheduledReminder => ({
  invoiceId: 'inv-1',
  tenantId: 'ten-1',
  stage,
  daysAfterDue: [3, 7, 14][stage - 1]!,
  dueOn: '2026-01-16',
  scheduledOn: ['2026-01-19', '2026-01-23', '2026-01-30'][stage - 1]!,
  sentOn: ['2026-01-19', '2026-01-23', '2026-01-30'][stage - 1]!,
  amountDue: { amountMinor: '17700', currency: 'XOF' },
  channel: 'email',
  sentAt: '2026-01-19T08:00:00.000Z',
});
const scheduledSent = (stage: 1 | 2 | 3): ReminderSentEvent => ({
  type: 'ReminderSent',
  data: { ...scheduled(stage), trigger: 'schedule', sentBy: null, note: null },
});

const overdue = (overrides: Partial<InvoiceStanding> = {}): InvoiceStanding => ({
  invoiceId: 'inv-1',
  tenantId: 'ten-1',
  status: 'overdue',
  dueOn: '2026-01-16',
  amountDue: moneyOf('17700', 'XOF'),
  ...overrides,
});

const remindNow = (overrides: Partial<Extract<DunningCommand, { type: 'SendOperatorReminder' }>> = {}) =>
  ({
    type: 'SendOperatorReminder',
    invoice: overdue(),
    channel: 'sms',
    note: 'Relance après appel du DAF',
    sentBy: operator,
    today,
    now,
    ...overrides,
  }) satisfies DunningCommand;

const promise = (overrides: Partial<Extract<DunningCommand, { type: 'PromisePayment' }>> = {}) =>
  ({
    type: 'PromisePayment',
    invoice: overdue(),
    promisedOn: '2026-02-20',
    amountMinor: 10_000n,
    note: 'Virement promis après la clôture du mois',
    recordedBy: operator,
    today,
    now,
    ...overrides,
  }) satisfies DunningCommand;

const operatorReminder: DunningEvent = {
  type: 'ReminderSent',
  data: {
    invoiceId: 'inv-1',
    tenantId: 'ten-1',
    trigger: 'operator',
    stage: null,
    daysAfterDue: 25,
    dueOn: '2026-01-16',
    scheduledOn: null,
    sentOn: today,
    amountDue: { amountMinor: '17700', currency: 'XOF' },
    channel: 'sms',
    sentBy: operator,
    note: 'Relance après appel du DAF',
    sentAt: now,
  },
};

describe('scheduled reminders', () => {
  it('given no reminder, when the first is sent, then it is recorded as the schedule’s', () => {
    spec(dunningDecider)
      .given([])
      .when({ type: 'SendReminder', data: scheduled(1) })
      .thenEvents([scheduledSent(1)]);
  });

  it('given stages 1 and 2 and an operator reminder, when stage 3 is due, then it is recorded', () => {
    spec(dunningDecider)
      .given([scheduledSent(1), scheduledSent(2), operatorReminder])
      .when({ type: 'SendReminder', data: scheduled(3) })
      .thenEvents([scheduledSent(3)]);
  });
});

/** A promise to pay the whole invoice by `promisedOn`, recorded on 20 January. */
const promised = (promisedOn: string): DunningEvent => ({
  type: 'PaymentPromised',
  data: {
    invoiceId: 'inv-1',
    tenantId: 'ten-1',
    promisedOn,
    amount: { amountMinor: '17700', currency: 'XOF' },
    amountDue: { amountMinor: '17700', currency: 'XOF' },
    note: null,
    recordedOn: '2026-01-20',
    recordedBy: operator,
    recordedAt: '2026-01-20T10:00:00.000Z',
  },
});

describe('scheduled reminders and a promise to pay', () => {
  it('given a promise to pay by the 23rd, when stage 2 falls due on the 23rd, then the schedule waits', () => {
    spec(dunningDecider)
      .given([scheduledSent(1), promised('2026-01-23')])
      .when({ type: 'SendReminder', data: scheduled(2) })
      .thenRefuses('promise_in_force');
  });

  it('given a promise to pay by the 22nd, broken, when stage 2 falls due on the 23rd, then it is sent', () => {
    spec(dunningDecider)
      .given([scheduledSent(1), promised('2026-01-22')])
      .when({ type: 'SendReminder', data: scheduled(2) })
      .thenEvents([scheduledSent(2)]);
  });

  it('given a promise in force, when an operator reminds, then the reminder is recorded', () => {
    spec(dunningDecider)
      .given([promised('2026-02-20')])
      .when(remindNow())
      .thenEvents([operatorReminder]);
  });
});

describe('an operator’s reminder', () => {
  it('given an overdue invoice, when an operator reminds by SMS, then the reminder names the operator and the days late', () => {
    spec(dunningDecider)
      .given([scheduledSent(1)])
      .when(remindNow())
      .thenEvents([operatorReminder]);
  });

  it('given an invoice marked neither overdue nor paid but past its due date, then it may be reminded', () => {
    const events = spec(dunningDecider)
      .given([])
      .when(remindNow({ invoice: overdue({ status: 'partially_paid', amountDue: moneyOf('500', 'XOF') }) }))
      .events();
    expect(events[0]?.data).toMatchObject({ amountDue: { amountMinor: '500' }, trigger: 'operator' });
  });

  it('given a reminder sent yesterday, when another is sent today, then it is recorded', () => {
    const events = spec(dunningDecider)
      .given([scheduledSent(3)])
      .when(remindNow({ today: '2026-01-31' }))
      .events();
    expect(events.map((e) => [e.type, e.data.invoiceId])).toEqual([['ReminderSent', 'inv-1']]);
  });
});

describe('a promise to pay', () => {
  it('given an overdue invoice, when a promise for part of it is recorded, then it keeps the date, amount, note and operator', () => {
    spec(dunningDecider)
      .given([])
      .when(promise())
      .thenEvents([
        {
          type: 'PaymentPromised',
          data: {
            invoiceId: 'inv-1',
            tenantId: 'ten-1',
            promisedOn: '2026-02-20',
            amount: { amountMinor: '10000', currency: 'XOF' },
            amountDue: { amountMinor: '17700', currency: 'XOF' },
            note: 'Virement promis après la clôture du mois',
            recordedOn: today,
            recordedBy: operator,
            recordedAt: now,
          },
        },
      ]);
  });

  it('accepts today, the last day of the horizon and the whole amount due; a later promise replaces the first', () => {
    const first = spec(dunningDecider)
      .given([])
      .when(promise({ promisedOn: today }))
      .events();
    const whole = spec(dunningDecider)
      .given([...first])
      .when(promise({ promisedOn: '2026-05-11', amountMinor: 17_700n }))
      .events();
    expect(whole[0]?.data).toMatchObject({ promisedOn: '2026-05-11', amount: { amountMinor: '17700' } });
    expect(promiseHorizonDaysMax).toBe(90);
  });
});

/**
 * One table, from the top rule down: each row breaks its rule and, where the command allows, rules
 * further down as well, so the row also proves that a higher rule wins.
 */
describe('refusals, from the top rule down', () => {
  const table: ReadonlyArray<{
    name: string;
    given: DunningEvent[];
    when: DunningCommand;
    code: DunningRefusalCode;
    field?: string;
  }> = [
    {
      name: 'a scheduled stage sent twice',
      given: [scheduledSent(2)],
      when: { type: 'SendReminder', data: scheduled(2) },
      code: 'reminder_already_sent',
    },
    {
      name: 'a scheduled stage sent twice while a promise runs',
      given: [scheduledSent(2), promised('2026-02-01')],
      when: { type: 'SendReminder', data: scheduled(2) },
      code: 'reminder_already_sent',
    },
    {
      name: 'a scheduled stage due while a promise runs',
      given: [promised('2026-02-01')],
      when: { type: 'SendReminder', data: scheduled(3) },
      code: 'promise_in_force',
    },
    {
      name: 'a promise on a draft, in the past, for nothing',
      given: [],
      when: promise({
        invoice: overdue({ status: 'draft', dueOn: null, amountDue: null }),
        promisedOn: '2026-01-01',
        amountMinor: 0n,
      }),
      code: 'invoice_not_issued',
    },
    {
      name: 'a reminder for a voided invoice',
      given: [],
      when: remindNow({ invoice: overdue({ status: 'voided', dueOn: null, amountDue: null }) }),
      code: 'invoice_not_issued',
    },
    {
      name: 'a reminder for a paid invoice, already reminded today',
      given: [operatorReminder],
      when: remindNow({ invoice: overdue({ status: 'paid', amountDue: moneyOf('0', 'XOF') }) }),
      code: 'invoice_settled',
    },
    {
      name: 'a promise on a written-off invoice',
      given: [],
      when: promise({ invoice: overdue({ status: 'written_off', amountDue: moneyOf('0', 'XOF') }) }),
      code: 'invoice_settled',
    },
    {
      name: 'a promise on an issued invoice settled to zero, above what is due',
      given: [],
      when: promise({ invoice: overdue({ status: 'issued', amountDue: moneyOf('0', 'XOF') }) }),
      code: 'invoice_settled',
    },
    {
      name: 'a reminder for an invoice due today',
      given: [],
      when: remindNow({ invoice: overdue({ status: 'issued', dueOn: today }) }),
      code: 'invoice_not_overdue',
    },
    {
      name: 'a promise on an invoice not yet due, dated in the past',
      given: [],
      when: promise({
        invoice: overdue({ status: 'issued', dueOn: '2026-03-01' }),
        promisedOn: '2026-02-01',
      }),
      code: 'invoice_not_overdue',
    },
    {
      name: 'a second reminder the day the schedule sent one',
      given: [
        {
          ...scheduledSent(3),
          data: { ...scheduled(3), trigger: 'schedule', sentBy: null, note: null, sentOn: today },
        },
      ],
      when: remindNow(),
      code: 'reminder_sent_today',
    },
    {
      name: 'a promise dated yesterday, above what is due',
      given: [],
      when: promise({ promisedOn: '2026-02-09', amountMinor: 99_999n }),
      code: 'promise_date_in_past',
      field: 'promisedOn',
    },
    {
      name: 'a promise 91 days ahead, for nothing',
      given: [],
      when: promise({ promisedOn: '2026-05-12', amountMinor: 0n }),
      code: 'promise_date_too_far',
      field: 'promisedOn',
    },
    {
      name: 'a promise of zero',
      given: [],
      when: promise({ amountMinor: 0n }),
      code: 'promise_amount_not_positive',
      field: 'amountMinor',
    },
    {
      name: 'a negative promise',
      given: [],
      when: promise({ amountMinor: -1n }),
      code: 'promise_amount_not_positive',
      field: 'amountMinor',
    },
    {
      name: 'a promise of one franc more than is due',
      given: [],
      when: promise({ amountMinor: 17_701n }),
      code: 'promise_amount_above_due',
      field: 'amountMinor',
    },
  ];

  it.each(table)('$name → $code', ({ given, when, code, field }) => {
    spec(dunningDecider).given(given).when(when).thenRefuses(code, field);
  });

  it('the table covers every refusal code', () => {
    expect(new Set(table.map((row) => row.code))).toEqual(new Set(dunningRefusalCodes));
  });
});

describe('the catalog', () => {
  it('validates what the decider records, and reads a version-1 reminder as the schedule’s', () => {
    const catalog = ledgerCatalog();
    for (const event of [
      scheduledSent(1),
      operatorReminder,
      ...spec(dunningDecider).given([]).when(promise()).events(),
    ]) {
      expect(catalog.validate(event.type, event.data).schemaVersion).toBe(
        event.type === 'ReminderSent' ? 2 : 1,
      );
    }
    const { trigger: _t, sentBy: _s, note: _n, ...v1 } = scheduledSent(1).data;
    const upcast = catalog.upcast('ReminderSent', 1, v1);
    expect(upcast).toEqual({ data: scheduledSent(1).data, schemaVersion: 2 });
    expect(() => catalog.validate('ReminderSent', { ...operatorReminder.data, sentBy: null })).toThrow(
      /sentBy/,
    );
    expect(() => catalog.validate('ReminderSent', { ...scheduledSent(1).data, stage: null })).toThrow(
      /stage/,
    );
  });
});
