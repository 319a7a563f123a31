// Proves a dunning reminder is recorded once per stage, whatever the order the scheduler sends them.
import { describe, it } from 'vitest';
import { spec } from '../shared/testing.ts';
import { dunningDecider, type DunningEvent } from './dunning.ts';

const reminder = (stage: 1 | 2 | 3): DunningEvent['data'] => ({
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

describe('dunning decider', () => {
  it('given no reminder, when the first is sent, then it is recorded', () => {
    spec(dunningDecider)
      .given([])
      .when({ type: 'SendReminder', data: reminder(1) })
      .thenEvents([{ type: 'ReminderSent', data: reminder(1) }]);
  });

  it('given stage 1 and 2 sent, when stage 3 is sent, then it is recorded', () => {
    spec(dunningDecider)
      .given([
        { type: 'ReminderSent', data: reminder(1) },
        { type: 'ReminderSent', data: reminder(2) },
      ])
      .when({ type: 'SendReminder', data: reminder(3) })
      .thenEvents([{ type: 'ReminderSent', data: reminder(3) }]);
  });

  it('given a stage already sent, when it is sent again, then it is refused', () => {
    spec(dunningDecider)
      .given([{ type: 'ReminderSent', data: reminder(2) }])
      .when({ type: 'SendReminder', data: reminder(2) })
      .thenRefuses('reminder_already_sent');
  });
});
