import { z } from 'zod';
import { isCurrencyCode } from './currency.ts';
import { amountMinorDigitsMax, fromMinor, type Money } from './money.ts';

/**
 * Money as it is written in events and sent over the API: the amount as a string of minor units
 * (JSON has no bigint, and a `number` would lose exactness past 2^53) and the ISO 4217 code.
 */
export const moneySchema = z.object({
  amountMinor: z
    .string()
    // One spelling per amount (no leading zeros, no "-0"), so equal amounts hash and compare equal.
    .regex(
      new RegExp(`^(0|-?[1-9]\\d{0,${amountMinorDigitsMax - 1}})$`),
      'integer minor units, e.g. "-1500"',
    ),
  currency: z.string().refine(isCurrencyCode, 'a supported ISO 4217 currency code'),
});

export type MoneyJson = z.infer<typeof moneySchema>;

/** A money schema that also insists the amount is not negative (prices, invoice totals). */
export const nonNegativeMoneySchema = moneySchema.refine((value) => !value.amountMinor.startsWith('-'), {
  message: 'must not be negative',
  path: ['amountMinor'],
});

export function toMoneyJson(amount: Money): MoneyJson {
  return { amountMinor: amount.amountMinor.toString(), currency: amount.currency };
}

export function fromMoneyJson(json: MoneyJson): Money {
  return fromMinor(json.amountMinor, json.currency);
}
