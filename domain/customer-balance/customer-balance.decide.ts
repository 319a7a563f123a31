import { isZero, type Money, toMoneyJson } from '../money/index.ts';
import { accept, assertNever, type Decider, type Decision, refuse } from '../shared/decider.ts';
import {
  type CreditSource,
  type CustomerBalanceEvent,
  type CustomerBalanceState,
  creditToApply,
  evolve,
  initialState,
  movementsPerBalanceMax,
  sourceKey,
} from './customer-balance.ts';
import { add, subtract } from '../money/index.ts';

export type CustomerBalanceCommand =
  | {
      readonly type: 'IncreaseCreditBalance';
      readonly tenantId: string;
      readonly source: CreditSource;
      readonly sourceId: string;
      readonly invoiceId: string;
      readonly amount: Money;
      readonly increasedOn: string;
      readonly now: string;
    }
  | {
      readonly type: 'ApplyCreditBalance';
      readonly tenantId: string;
      readonly applicationId: string;
      readonly invoiceId: string;
      /** The invoice's amount due as the caller just read it. */
      readonly amountDue: Money;
      readonly appliedOn: string;
      readonly now: string;
    };

/** The closed vocabulary, in the order the checks run. */
export const customerBalanceRefusalCodes = [
  'tenant_mismatch',
  'credit_source_already_recorded',
  'credit_application_already_recorded',
  'credit_balance_empty',
  'currency_mismatch',
  'amount_not_positive',
  'balance_limit_reached',
] as const;
export type CustomerBalanceRefusalCode = (typeof customerBalanceRefusalCodes)[number];

type BalanceDecision = Decision<CustomerBalanceEvent, CustomerBalanceRefusalCode>;

function movements(state: CustomerBalanceState): number {
  return state.status === 'none' ? 0 : state.sourceKeys.length + state.applications.length;
}

export function decide(command: CustomerBalanceCommand, state: CustomerBalanceState): BalanceDecision {
  if (state.status === 'active' && state.tenantId !== command.tenantId) {
    return refuse('tenant_mismatch', `this balance belongs to ${state.tenantId}`, 'tenantId');
  }
  switch (command.type) {
    case 'IncreaseCreditBalance': {
      const key = sourceKey(command.source, command.sourceId, command.invoiceId);
      if (state.status === 'active' && state.sourceKeys.includes(key)) {
        return refuse('credit_source_already_recorded', 'this money is already in the balance', 'sourceId');
      }
      if (state.status === 'active' && state.balance.currency !== command.amount.currency) {
        return refuse('currency_mismatch', `the balance is held in ${state.balance.currency}`, 'amount');
      }
      if (command.amount.amountMinor <= 0n) return refuse('amount_not_positive', 'nothing to add', 'amount');
      if (movements(state) >= movementsPerBalanceMax) {
        return refuse(
          'balance_limit_reached',
          `a balance records at most ${movementsPerBalanceMax} movements`,
        );
      }
      const balanceAfter = state.status === 'none' ? command.amount : add(state.balance, command.amount);
      return accept({
        type: 'CreditBalanceIncreased',
        data: {
          tenantId: command.tenantId,
          source: command.source,
          sourceId: command.sourceId,
          invoiceId: command.invoiceId,
          amount: toMoneyJson(command.amount),
          balanceAfter: toMoneyJson(balanceAfter),
          increasedOn: command.increasedOn,
          increasedAt: command.now,
        },
      });
    }
    case 'ApplyCreditBalance': {
      if (
        state.status === 'active' &&
        state.applications.some((application) => application.applicationId === command.applicationId)
      ) {
        return refuse(
          'credit_application_already_recorded',
          'this application was already made',
          'applicationId',
        );
      }
      if (state.status === 'none' || isZero(state.balance)) {
        return refuse('credit_balance_empty', 'the tenant has no credit to apply');
      }
      if (state.balance.currency !== command.amountDue.currency) {
        return refuse('currency_mismatch', `the balance is held in ${state.balance.currency}`, 'amountDue');
      }
      if (command.amountDue.amountMinor <= 0n) {
        return refuse('amount_not_positive', 'nothing is due on the invoice', 'amountDue');
      }
      if (movements(state) >= movementsPerBalanceMax) {
        return refuse(
          'balance_limit_reached',
          `a balance records at most ${movementsPerBalanceMax} movements`,
        );
      }
      const amount = creditToApply(state.balance, command.amountDue);
      return accept({
        type: 'CreditBalanceApplied',
        data: {
          tenantId: command.tenantId,
          applicationId: command.applicationId,
          invoiceId: command.invoiceId,
          amount: toMoneyJson(amount),
          balanceAfter: toMoneyJson(subtract(state.balance, amount)),
          appliedOn: command.appliedOn,
          appliedAt: command.now,
        },
      });
    }
    default:
      return assertNever(command, 'customer balance command');
  }
}

export const customerBalanceDecider: Decider<
  CustomerBalanceCommand,
  CustomerBalanceEvent,
  CustomerBalanceState,
  CustomerBalanceRefusalCode
> = { initialState, evolve, decide };
