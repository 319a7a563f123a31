// Proves a tenant's credit balance grows from overpayments and credit notes, is applied to the next
// invoice up to its amount due and never below zero, refuses in one fixed order, and replays the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCatalog } from '../events/catalog.ts';
import { type Money, moneyOf, toMoneyJson } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import {
  type CustomerBalanceCommand,
  customerBalanceDecider,
  type CustomerBalanceRefusalCode,
  customerBalanceRefusalCodes,
} from './customer-balance.decide.ts';
import {
  type CreditSource,
  type CustomerBalanceEvent,
  type CustomerBalanceState,
  creditToApply,
  customerBalanceEvents,
  movementsPerBalanceMax,
} from './customer-balance.ts';

const now = '2026-03-01T09:00:00Z';
const tenantId = 'tenant-1';
const xof = (major: string): Money => moneyOf(major, 'XOF');
const balance = spec(customerBalanceDecider);

const increase = (
  sourceId: string,
  amount: Money,
  source: CreditSource = 'overpayment',
  invoiceId = 'inv-1',
): CustomerBalanceCommand => ({
  type: 'IncreaseCreditBalance',
  tenantId,
  source,
  sourceId,
  invoiceId,
  amount,
  increasedOn: '2026-03-05',
  now,
});

const apply = (applicationId: string, invoiceId: string, amountDue: Money): CustomerBalanceCommand => ({
  type: 'ApplyCreditBalance',
  tenantId,
  applicationId,
  invoiceId,
  amountDue,
  appliedOn: '2026-04-01',
  now,
});

const increased = (
  sourceId: string,
  amount: string,
  balanceAfter: string,
  source: CreditSource = 'overpayment',
): CustomerBalanceEvent => ({
  type: 'CreditBalanceIncreased',
  data: {
    tenantId,
    source,
    sourceId,
    invoiceId: 'inv-1',
    amount: toMoneyJson(xof(amount)),
    balanceAfter: toMoneyJson(xof(balanceAfter)),
    increasedOn: '2026-03-05',
    increasedAt: now,
  },
});

const applied = (
  applicationId: string,
  invoiceId: string,
  amount: string,
  balanceAfter: string,
): CustomerBalanceEvent => ({
  type: 'CreditBalanceApplied',
  data: {
    tenantId,
    applicationId,
    invoiceId,
    amount: toMoneyJson(xof(amount)),
    balanceAfter: toMoneyJson(xof(balanceAfter)),
    appliedOn: '2026-04-01',
    appliedAt: now,
  },
});

describe('IncreaseCreditBalance', () => {
  it('opens the balance with an overpayment', () => {
    balance
      .given([])
      .when(increase('pay-1', xof('8200')))
      .thenEvents([increased('pay-1', '8200', '8200')]);
  });

  it('adds a credit note on a paid invoice to what is there', () => {
    balance
      .given([increased('pay-1', '8200', '8200')])
      .when(increase('cn-1', xof('5900'), 'credit_note'))
      .thenEvents([increased('cn-1', '5900', '14100', 'credit_note')]);
  });
});

describe('ApplyCreditBalance', () => {
  it('applies the whole balance when the invoice owes more', () => {
    balance
      .given([increased('pay-1', '8200', '8200')])
      .when(apply('app-1', 'inv-2', xof('17700')))
      .thenEvents([applied('app-1', 'inv-2', '8200', '0')]);
  });

  it('applies only the amount due and keeps the rest for the next invoice', () => {
    balance
      .given([increased('pay-1', '20000', '20000')])
      .when(apply('app-1', 'inv-2', xof('17700')))
      .thenEvents([applied('app-1', 'inv-2', '17700', '2300')]);
  });

  it('policy: min(balance, amount due), nothing for an invoice that owes nothing', () => {
    expect(creditToApply(xof('500'), xof('300'))).toEqual(xof('300'));
    expect(creditToApply(xof('300'), xof('500'))).toEqual(xof('300'));
    expect(creditToApply(xof('300'), xof('0'))).toEqual(xof('0'));
  });
});

describe('refusals', () => {
  const funded = [increased('pay-1', '1000', '1000')];
  const full: CustomerBalanceEvent[] = Array.from({ length: movementsPerBalanceMax }, (_, i) =>
    increased(`p${i}`, '1', String(i + 1)),
  );
  const table: ReadonlyArray<
    readonly [CustomerBalanceRefusalCode, string, readonly CustomerBalanceEvent[], CustomerBalanceCommand]
  > = [
    [
      'tenant_mismatch',
      'another tenant’s money, even a duplicate',
      funded,
      { ...increase('pay-1', xof('1000')), tenantId: 'tenant-2' } as CustomerBalanceCommand,
    ],
    [
      'credit_source_already_recorded',
      'the same overpayment twice, even in another currency',
      funded,
      increase('pay-1', moneyOf('1', 'EUR')),
    ],
    [
      'credit_application_already_recorded',
      'the same application twice, even once the balance is empty',
      [increased('pay-1', '1000', '1000'), applied('app-1', 'inv-2', '1000', '0')],
      apply('app-1', 'inv-2', xof('1000')),
    ],
    [
      'credit_balance_empty',
      'applying credit the tenant does not have',
      [],
      apply('app-1', 'inv-2', moneyOf('1', 'EUR')),
    ],
    [
      'currency_mismatch',
      'a credit in another currency, and zero',
      funded,
      increase('pay-2', moneyOf('0', 'EUR')),
    ],
    ['amount_not_positive', 'an invoice that owes nothing', funded, apply('app-1', 'inv-2', xof('0'))],
    ['balance_limit_reached', 'one movement too many', full, increase('pay-x', xof('1'))],
  ];

  it('covers every refusal code once, in the order of the vocabulary', () => {
    expect(table.map(([code]) => code)).toEqual([...customerBalanceRefusalCodes]);
  });

  it.each(table)('%s: %s', (code, _why, history, command) => {
    balance.given(history).when(command).thenRefuses(code);
  });
});

describe('properties', () => {
  const commandArbitrary: fc.Arbitrary<CustomerBalanceCommand> = fc.oneof(
    fc
      .tuple(fc.constantFrom('p1', 'p2', 'p3', 'cn1', 'cn2'), fc.bigInt({ min: -5n, max: 30_000n }))
      .map(([sourceId, minor]) =>
        increase(
          sourceId,
          moneyOf(minor.toString(), 'XOF'),
          sourceId.startsWith('cn') ? 'credit_note' : 'overpayment',
        ),
      ),
    fc
      .tuple(fc.constantFrom('a1', 'a2', 'a3', 'a4'), fc.bigInt({ min: 0n, max: 30_000n }))
      .map(([applicationId, minor]) =>
        apply(applicationId, `inv-${applicationId}`, moneyOf(minor.toString(), 'XOF')),
      ),
  );

  it('balance = Σ increases − Σ applications, never below zero, and a replay of the stored events is equal', () => {
    const catalog = new EventCatalog(customerBalanceEvents);
    fc.assert(
      fc.property(fc.array(commandArbitrary, { maxLength: 30 }), (commands) => {
        let state: CustomerBalanceState = customerBalanceDecider.initialState();
        const events: CustomerBalanceEvent[] = [];
        for (const command of commands) {
          const decision = customerBalanceDecider.decide(command, state);
          if (!decision.ok) continue;
          for (const event of decision.events) {
            events.push(event);
            state = customerBalanceDecider.evolve(state, event);
          }
          if (state.status === 'active') expect(state.balance.amountMinor).toBeGreaterThanOrEqual(0n);
        }
        const net = events.reduce(
          (sum, event) =>
            event.type === 'CreditBalanceIncreased'
              ? sum + BigInt(event.data.amount.amountMinor)
              : sum - BigInt(event.data.amount.amountMinor),
          0n,
        );
        expect(state.status === 'none' ? 0n : state.balance.amountMinor).toBe(net);
        const stored = events.map(
          (event) =>
            ({
              type: event.type,
              data: catalog.validate(event.type, JSON.parse(JSON.stringify(event.data))).data,
            }) as CustomerBalanceEvent,
        );
        expect(fold(customerBalanceDecider, stored)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });
});
