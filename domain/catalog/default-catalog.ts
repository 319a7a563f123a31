import { type CurrencyCode, type Money, moneyOf } from '../money/index.ts';
import type { PublishPlan } from './plan.decide.ts';
import { type MeterTerms, type PlanTerms, trialDaysDefault } from './plan.ts';
import { annualFromMonthly } from './pricing.ts';

/**
 * The catalog a fresh ledger starts with. Prices are the published ones (Essential 15 000 XOF a
 * month, Professional 45 000 XOF, Enterprise negotiated per tenant); the two CFA francs are at
 * par, so XAF carries the same numbers. The quotas and overage prices are seed values the
 * business is expected to tune by publishing new versions.
 */
const cfaFrancs: readonly CurrencyCode[] = ['XOF', 'XAF'];

function listPrices(monthlyMajor: string) {
  return cfaFrancs.flatMap((currency) => {
    const monthly = moneyOf(monthlyMajor, currency);
    return [
      { interval: 'monthly' as const, price: monthly },
      { interval: 'annual' as const, price: annualFromMonthly(monthly) },
    ];
  });
}

function perBlock(major: string): Money[] {
  return cfaFrancs.map((currency) => moneyOf(major, currency));
}

function meters(quotas: { tickets: number; sms: number; storage: number; api_calls: number }): MeterTerms[] {
  return [
    {
      meter: 'tickets',
      includedQuantity: quotas.tickets,
      overage: { blockSize: 1000, pricesPerBlock: perBlock('1000') },
    },
    { meter: 'sms', includedQuantity: quotas.sms, overage: { blockSize: 1, pricesPerBlock: perBlock('25') } },
    {
      meter: 'storage',
      includedQuantity: quotas.storage,
      overage: { blockSize: 1, pricesPerBlock: perBlock('500') },
    },
    {
      meter: 'api_calls',
      includedQuantity: quotas.api_calls,
      overage: { blockSize: 10_000, pricesPerBlock: perBlock('1000') },
    },
  ];
}

export const essentialTerms: PlanTerms = {
  name: 'Essential',
  pricing: { kind: 'list', prices: listPrices('15000') },
  trialDays: trialDaysDefault,
  meters: meters({ tickets: 5_000, sms: 500, storage: 5, api_calls: 10_000 }),
};

export const professionalTerms: PlanTerms = {
  name: 'Professional',
  pricing: { kind: 'list', prices: listPrices('45000') },
  trialDays: trialDaysDefault,
  meters: meters({ tickets: 25_000, sms: 2_500, storage: 50, api_calls: 100_000 }),
};

/** Enterprise has no list price: each subscription carries the price negotiated with the tenant. */
export const enterpriseTerms: PlanTerms = {
  name: 'Enterprise',
  pricing: { kind: 'negotiated' },
  trialDays: trialDaysDefault,
  meters: [
    { meter: 'tickets', includedQuantity: null, overage: null },
    { meter: 'sms', includedQuantity: 10_000, overage: { blockSize: 1, pricesPerBlock: perBlock('20') } },
    { meter: 'storage', includedQuantity: 500, overage: { blockSize: 1, pricesPerBlock: perBlock('400') } },
    { meter: 'api_calls', includedQuantity: null, overage: null },
  ],
};

/** The commands that publish the default catalog, dated by the caller. */
export function defaultCatalogCommands(now: string): PublishPlan[] {
  return [
    { type: 'PublishPlan', planCode: 'essential', terms: essentialTerms, now },
    { type: 'PublishPlan', planCode: 'professional', terms: professionalTerms, now },
    { type: 'PublishPlan', planCode: 'enterprise', terms: enterpriseTerms, now },
  ];
}
