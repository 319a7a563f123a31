import { z } from 'zod';
import { defineEvent, type EventDefinition, type EventOf } from '../events/catalog.ts';
import {
  add,
  type CurrencyCode,
  fromMoneyJson,
  type Money,
  min,
  nonNegativeMoneySchema,
  subtract,
  zero,
} from '../money/index.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';

/**
 * A tenant's credit balance: money we owe the tenant and keep for its next invoices (SYSCOHADA
 * 4191 "Clients, avances et acomptes reçus"). One stream per tenant (`customer-balance-<tenantId>`).
 *
 * It grows from overpayments (the excess an invoice reports when a payment exceeds its amount
 * due), from credit notes on invoices already paid (`toCustomerBalance`), and from credit that an
 * invoice could not take after all (`unapplied_credit`). It shrinks when it is applied to an
 * invoice.
 *
 * Applying credit touches two streams, so it is done in two appends, each with its own expected
 * revision: first `CreditBalanceApplied` here (the balance can never go below zero, even with two
 * invoices issued at once), then `ApplyCustomerCredit` on the invoice, carrying the same
 * `applicationId`. The application names its invoice, so a crash between the two is completed
 * from this stream, and the invoice refuses the same application twice.
 */

export const movementsPerBalanceMax = 10_000;

export const customerBalanceStreamName = (tenantId: string): string => `customer-balance-${tenantId}`;

export const creditSources = ['overpayment', 'credit_note', 'unapplied_credit'] as const;
export type CreditSource = (typeof creditSources)[number];

const id = z.string().min(1).max(200);
const positiveMoney = nonNegativeMoneySchema.refine((value) => value.amountMinor !== '0', {
  message: 'must be positive',
  path: ['amountMinor'],
});

export const creditBalanceIncreased = defineEvent({
  type: 'CreditBalanceIncreased',
  version: 1,
  schema: z.object({
    tenantId: id,
    source: z.enum(creditSources),
    /** The payment, credit note or credit application the money comes from. */
    sourceId: id,
    /** The invoice on which the excess or the credit note arose. */
    invoiceId: id,
    amount: positiveMoney,
    balanceAfter: nonNegativeMoneySchema,
    increasedOn: z.iso.date(),
    increasedAt: z.iso.datetime({ offset: true }),
  }),
});

export const creditBalanceApplied = defineEvent({
  type: 'CreditBalanceApplied',
  version: 1,
  schema: z.object({
    tenantId: id,
    applicationId: id,
    invoiceId: id,
    amount: positiveMoney,
    balanceAfter: nonNegativeMoneySchema,
    appliedOn: z.iso.date(),
    appliedAt: z.iso.datetime({ offset: true }),
  }),
});

export const customerBalanceEvents = [creditBalanceIncreased, creditBalanceApplied] as const;

export type CustomerBalanceEvent =
  | EventOf<typeof creditBalanceIncreased>
  | EventOf<typeof creditBalanceApplied>;

export interface PendingApplication {
  readonly applicationId: string;
  readonly invoiceId: string;
  readonly amount: Money;
}

export type CustomerBalanceState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active';
      readonly tenantId: string;
      readonly balance: Money;
      /** `source:sourceId:invoiceId` of every increase, so the same money is never counted twice. */
      readonly sourceKeys: readonly string[];
      readonly applications: readonly PendingApplication[];
    };

export const initialState = (): CustomerBalanceState => ({ status: 'none' });

export function sourceKey(source: CreditSource, sourceId: string, invoiceId: string): string {
  return `${source}:${sourceId}:${invoiceId}`;
}

/**
 * The policy: how much of the balance goes to an invoice. All of it, up to the amount due; the
 * rest waits for the next invoice. There is no rounding: both amounts are whole minor units.
 */
export function creditToApply(balance: Money, amountDue: Money): Money {
  if (amountDue.amountMinor <= 0n) return zero(balance.currency);
  return min(balance, amountDue);
}

export function balanceOf(state: CustomerBalanceState, currency: CurrencyCode): Money {
  return state.status === 'none' ? zero(currency) : state.balance;
}

export function evolve(state: CustomerBalanceState, event: CustomerBalanceEvent): CustomerBalanceState {
  switch (event.type) {
    case 'CreditBalanceIncreased': {
      const { data } = event;
      const amount = fromMoneyJson(data.amount);
      const before = state.status === 'none' ? zero(amount.currency) : state.balance;
      const balance = add(before, amount);
      if (balance.amountMinor.toString() !== data.balanceAfter.amountMinor) {
        throw new InvariantViolation(`balance after ${data.sourceId} does not add up`);
      }
      return {
        status: 'active',
        tenantId: data.tenantId,
        balance,
        sourceKeys: [
          ...(state.status === 'none' ? [] : state.sourceKeys),
          sourceKey(data.source, data.sourceId, data.invoiceId),
        ],
        applications: state.status === 'none' ? [] : state.applications,
      };
    }
    case 'CreditBalanceApplied': {
      if (state.status === 'none') throw new InvariantViolation('credit applied from an empty balance');
      const { data } = event;
      const amount = fromMoneyJson(data.amount);
      const balance = subtract(state.balance, amount);
      if (balance.amountMinor < 0n) throw new InvariantViolation('the credit balance went below zero');
      return {
        ...state,
        balance,
        applications: [
          ...state.applications,
          { applicationId: data.applicationId, invoiceId: data.invoiceId, amount },
        ],
      };
    }
    default:
      return assertNever(event, 'customer balance event');
  }
}

/** For the ledger's catalog (domain/events/index.ts). */
export const customerBalanceEventDefinitions: ReadonlyArray<EventDefinition<string, unknown>> =
  customerBalanceEvents;
