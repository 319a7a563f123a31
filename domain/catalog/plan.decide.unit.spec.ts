// Proves the plan decider: publish, new versions that leave older ones intact, retirement, and its refusals in precedence order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCatalog } from '../events/catalog.ts';
import { moneyOf } from '../money/index.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import { enterpriseTerms, essentialTerms, professionalTerms } from './default-catalog.ts';
import { type PlanCommand, planDecider, planRefusalCodes } from './plan.decide.ts';
import { catalogEventDefinitions, type PlanEvent, type PlanTerms, termsToJson } from './plan.ts';

const now = '2026-01-01T08:00:00Z';
const later = '2026-03-01T08:00:00Z';

const published: PlanEvent = {
  type: 'PlanPublished',
  data: { planCode: 'essential', version: 1, terms: termsToJson(essentialTerms), publishedAt: now },
};
const repriced: PlanTerms = {
  ...essentialTerms,
  pricing: { kind: 'list', prices: [{ interval: 'monthly', price: moneyOf('17500', 'XOF') }] },
  meters: [],
};
const versionTwo: PlanEvent = {
  type: 'PlanVersionPublished',
  data: { planCode: 'essential', version: 2, terms: termsToJson(repriced), publishedAt: later },
};
const retired: PlanEvent = {
  type: 'PlanRetired',
  data: { planCode: 'essential', lastVersion: 1, retiredAt: later },
};

describe('PublishPlan', () => {
  it('publishes version 1 of a new plan', () => {
    spec(planDecider)
      .given([])
      .when({ type: 'PublishPlan', planCode: 'essential', terms: essentialTerms, now })
      .thenEvents([published]);
  });

  it('publishes a negotiated plan with no list price', () => {
    const [event] = spec(planDecider)
      .given([])
      .when({ type: 'PublishPlan', planCode: 'enterprise', terms: enterpriseTerms, now })
      .events();
    expect(event?.type === 'PlanPublished' && event.data.terms.pricing).toEqual({ kind: 'negotiated' });
  });
});

describe('PublishPlanVersion', () => {
  it('publishes version 2 and keeps version 1 as it was', () => {
    spec(planDecider)
      .given([published])
      .when({ type: 'PublishPlanVersion', planCode: 'essential', terms: repriced, now: later })
      .thenEvents([versionTwo]);
    const state = fold(planDecider, [published, versionTwo]);
    expect(state.status === 'published' && state.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(state.status === 'published' && state.versions[0]).toMatchObject({
      ...essentialTerms,
      version: 1,
    });
  });
});

describe('RetirePlan', () => {
  it('retires the plan at its latest version', () => {
    spec(planDecider)
      .given([published])
      .when({ type: 'RetirePlan', planCode: 'essential', now: later })
      .thenEvents([retired]);
  });
});

describe('plan refusals, from the top rule down', () => {
  const negativePrice: PlanTerms = {
    ...essentialTerms,
    pricing: { kind: 'list', prices: [{ interval: 'monthly', price: moneyOf('-1', 'XOF') }] },
  };
  // Each row also breaks every rule below it where the command allows, so the row proves precedence.
  const rows: [string, PlanEvent[], PlanCommand, string, string?][] = [
    [
      'plan_not_found',
      [],
      { type: 'PublishPlanVersion', planCode: 'essential', terms: essentialTerms, now },
      'plan_not_found',
    ],
    ['plan_not_found (retire)', [], { type: 'RetirePlan', planCode: 'essential', now }, 'plan_not_found'],
    [
      'plan_already_published',
      [published],
      { type: 'PublishPlan', planCode: 'essential', terms: negativePrice, now },
      'plan_already_published',
    ],
    [
      'plan_retired',
      [published, retired],
      { type: 'PublishPlanVersion', planCode: 'essential', terms: negativePrice, now },
      'plan_retired',
    ],
    [
      'plan_retired (retire twice)',
      [published, retired],
      { type: 'RetirePlan', planCode: 'essential', now },
      'plan_retired',
    ],
    [
      'plan_field_invalid: code',
      [],
      { type: 'PublishPlan', planCode: 'Essential!', terms: negativePrice, now },
      'plan_field_invalid',
      'planCode',
    ],
    [
      'plan_field_invalid: name',
      [],
      { type: 'PublishPlan', planCode: 'x1', terms: { ...negativePrice, name: ' ' }, now },
      'plan_field_invalid',
      'terms.name',
    ],
    [
      'plan_field_invalid: trial',
      [],
      { type: 'PublishPlan', planCode: 'x1', terms: { ...negativePrice, trialDays: 91 }, now },
      'plan_field_invalid',
      'terms.trialDays',
    ],
    [
      'plan_field_invalid: price',
      [],
      { type: 'PublishPlan', planCode: 'x1', terms: negativePrice, now },
      'plan_field_invalid',
      'terms.pricing.prices.0.price',
    ],
    [
      'plan_field_invalid: duplicate price',
      [],
      {
        type: 'PublishPlan',
        planCode: 'x1',
        terms: {
          ...essentialTerms,
          pricing: {
            kind: 'list',
            prices: [
              { interval: 'monthly', price: moneyOf('1', 'XOF') },
              { interval: 'monthly', price: moneyOf('2', 'XOF') },
            ],
          },
        },
        now,
      },
      'plan_field_invalid',
      'terms.pricing.prices.1',
    ],
    [
      'plan_field_invalid: meter twice',
      [],
      {
        type: 'PublishPlan',
        planCode: 'x1',
        terms: { ...repriced, meters: [essentialTerms.meters[1]!, essentialTerms.meters[1]!] },
        now,
      },
      'plan_field_invalid',
      'terms.meters.1.meter',
    ],
    [
      'plan_field_invalid: overage missing a sold currency',
      [],
      {
        type: 'PublishPlan',
        planCode: 'x1',
        terms: {
          ...repriced,
          meters: [
            {
              meter: 'sms',
              includedQuantity: 10,
              overage: { blockSize: 1, pricesPerBlock: [moneyOf('1', 'EUR')] },
            },
          ],
        },
        now,
      },
      'plan_field_invalid',
      'terms.meters.0.overage.pricesPerBlock',
    ],
    [
      'plan_field_invalid: block size',
      [],
      {
        type: 'PublishPlan',
        planCode: 'x1',
        terms: {
          ...repriced,
          meters: [
            {
              meter: 'sms',
              includedQuantity: 10,
              overage: { blockSize: 0, pricesPerBlock: [moneyOf('1', 'XOF')] },
            },
          ],
        },
        now,
      },
      'plan_field_invalid',
      'terms.meters.0.overage.blockSize',
    ],
    [
      'plan_version_unchanged',
      [published],
      { type: 'PublishPlanVersion', planCode: 'essential', terms: essentialTerms, now },
      'plan_version_unchanged',
    ],
  ];

  it('covers every code of the vocabulary, in its order', () => {
    expect([...new Set(rows.map(([, , , code]) => code))]).toEqual([...planRefusalCodes]);
  });

  it.each(rows)('%s', (_name, history, command, code, field) => {
    spec(planDecider)
      .given(history)
      .when(command)
      .thenRefuses(code as never, field);
  });
});

describe('the default catalog', () => {
  it('passes its own validation', () => {
    for (const [planCode, terms] of [
      ['essential', essentialTerms],
      ['professional', professionalTerms],
      ['enterprise', enterpriseTerms],
    ] as const) {
      spec(planDecider).given([]).when({ type: 'PublishPlan', planCode, terms, now }).events();
    }
  });
});

describe('replay', () => {
  const catalog = new EventCatalog(catalogEventDefinitions);
  const terms = fc.constantFrom(essentialTerms, professionalTerms, enterpriseTerms, repriced);
  const command: fc.Arbitrary<PlanCommand> = fc.oneof(
    terms.map((t) => ({ type: 'PublishPlan' as const, planCode: 'essential', terms: t, now })),
    terms.map((t) => ({ type: 'PublishPlanVersion' as const, planCode: 'essential', terms: t, now: later })),
    fc.constant({ type: 'RetirePlan' as const, planCode: 'essential', now: later }),
  );

  it('replaying the stored events of any history gives the same state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        let state = planDecider.initialState();
        const stored: PlanEvent[] = [];
        for (const c of commands) {
          const decision = planDecider.decide(c, state);
          if (!decision.ok) continue;
          for (const event of decision.events) {
            state = planDecider.evolve(state, event);
            // What the store keeps is the schema-validated JSON, so replay from exactly that.
            const { data } = catalog.validate(event.type, JSON.parse(JSON.stringify(event.data)));
            stored.push({ type: event.type, data } as PlanEvent);
          }
        }
        expect(fold(planDecider, stored)).toEqual(state);
      }),
    );
  });
});
