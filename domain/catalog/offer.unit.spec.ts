// Proves how a plan is offered to a new subscriber: the latest version's list price, or the negotiated one, with refusals as one table in precedence order.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { enterpriseTerms, essentialTerms } from './default-catalog.ts';
import { offerFor, offerRefusalCodes } from './offer.ts';
import { planDecider } from './plan.decide.ts';
import { type PlanEvent, termsToJson } from './plan.ts';

const now = '2026-01-01T00:00:00Z';
const essential: PlanEvent[] = [
  {
    type: 'PlanPublished',
    data: { planCode: 'essential', version: 1, terms: termsToJson(essentialTerms), publishedAt: now },
  },
];
const repriced: PlanEvent = {
  type: 'PlanVersionPublished',
  data: {
    planCode: 'essential',
    version: 2,
    terms: termsToJson({
      ...essentialTerms,
      pricing: { kind: 'list', prices: [{ interval: 'monthly', price: moneyOf('17500', 'XOF') }] },
    }),
    publishedAt: now,
  },
};
const enterprise: PlanEvent[] = [
  {
    type: 'PlanPublished',
    data: { planCode: 'enterprise', version: 1, terms: termsToJson(enterpriseTerms), publishedAt: now },
  },
];
const retired: PlanEvent = {
  type: 'PlanRetired',
  data: { planCode: 'essential', lastVersion: 1, retiredAt: now },
};

describe('offerFor', () => {
  it('sells the latest version at its list price', () => {
    const offer = offerFor(fold(planDecider, [...essential, repriced]), 'monthly', 'XOF', null);
    expect(offer).toMatchObject({
      ok: true,
      offer: { planCode: 'essential', planVersion: 2, price: moneyOf('17500', 'XOF') },
    });
  });

  it('sells a negotiated plan at the negotiated price', () => {
    const offer = offerFor(fold(planDecider, enterprise), 'annual', 'XOF', moneyOf('1800000', 'XOF'));
    expect(offer).toMatchObject({
      ok: true,
      offer: { planCode: 'enterprise', interval: 'annual', price: moneyOf('1800000', 'XOF') },
    });
  });

  const rows = [
    ['plan_not_found', [], 'monthly', 'EUR', moneyOf('1', 'EUR')],
    ['plan_retired', [...essential, retired], 'monthly', 'EUR', moneyOf('1', 'EUR')],
    ['negotiated_price_required', enterprise, 'monthly', 'XOF', null],
    ['negotiated_price_not_allowed', essential, 'monthly', 'EUR', moneyOf('1', 'EUR')],
    ['plan_not_sold_in', essential, 'monthly', 'EUR', null],
    ['plan_not_sold_in', [...essential, repriced], 'annual', 'XOF', null],
    ['plan_not_sold_in', enterprise, 'monthly', 'XOF', moneyOf('1', 'EUR')],
  ] as const;

  it('covers every code of the vocabulary, in its order', () => {
    expect([...new Set(rows.map(([code]) => code))]).toEqual([...offerRefusalCodes]);
  });

  it.each(rows)('refuses %s', (code, history, interval, currency, negotiated) => {
    const offer = offerFor(fold(planDecider, history), interval, currency, negotiated);
    expect(offer.ok === false && offer.refusal.code).toBe(code);
  });
});
