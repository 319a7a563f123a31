// Proves the subscription decider command by command (given events, when a command, then events), its refusals as one table in precedence order, and that replaying any generated history gives the same state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { essentialTerms, professionalTerms } from '../catalog/default-catalog.ts';
import { offerFor } from '../catalog/offer.ts';
import { planDecider } from '../catalog/plan.decide.ts';
import { type BillingInterval, listPrice, termsToJson as planTermsToJson } from '../catalog/plan.ts';
import { EventCatalog } from '../events/catalog.ts';
import { type Money, moneyOf, toMoneyJson } from '../money/index.ts';
import { addDays, type CalendarDate } from '../shared/calendar-date.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import { entitlements } from './entitlements.ts';
import {
  type ChangePlan,
  previewPlanChange,
  type SubscriptionCommand,
  type SubscriptionRefusalCode,
  subscriptionDecider,
  subscriptionRefusalCodes,
} from './subscription.decide.ts';
import {
  type SubscriptionEvent,
  type SubscriptionTerms,
  subscriptionEventDefinitions,
  subscriptionTermsToJson,
} from './subscription.ts';

const subscriptionId = 'sub_1';
const tenantId = 'tnt_1';

function catalogTerms(
  planCode: 'essential' | 'professional',
  interval: BillingInterval = 'monthly',
): SubscriptionTerms {
  const plan = planCode === 'essential' ? essentialTerms : professionalTerms;
  return {
    planCode,
    planVersion: 1,
    interval,
    price: listPrice(plan, interval, 'XOF')!,
    meters: plan.meters,
  };
}

function eurTerms(planCode: string, price: Money): SubscriptionTerms {
  return { planCode, planVersion: 1, interval: 'monthly', price, meters: [] };
}

const essential = catalogTerms('essential');
const professional = catalogTerms('professional');
const essentialAnnual = catalogTerms('essential', 'annual');

/** Builds a history by running commands through the decider: the given events are real ones. */
function history(...commands: SubscriptionCommand[]): SubscriptionEvent[] {
  const events: SubscriptionEvent[] = [];
  for (const command of commands) {
    const decision = subscriptionDecider.decide(command, fold(subscriptionDecider, events));
    if (!decision.ok) throw new Error(`setup refused: ${decision.refusal.code} ${decision.refusal.message}`);
    events.push(...decision.events);
  }
  return events;
}

const startTrial = (today = '2026-03-01', terms = essential): SubscriptionCommand => ({
  type: 'StartSubscription',
  subscriptionId,
  tenantId,
  terms,
  trialDays: 14,
  anchorDate: null,
  paymentMethodId: null,
  today,
});
const startPaid = (
  today = '2026-04-01',
  terms = essential,
  anchorDate: CalendarDate | null = null,
): SubscriptionCommand => ({
  type: 'StartSubscription',
  subscriptionId,
  tenantId,
  terms,
  trialDays: null,
  anchorDate,
  paymentMethodId: 'pm_wave_1',
  today,
});
const changePlan = (terms: SubscriptionTerms, today: CalendarDate): ChangePlan => ({
  type: 'ChangePlan',
  subscriptionId,
  terms,
  today,
});
const renew = (today: CalendarDate): SubscriptionCommand => ({
  type: 'RenewSubscription',
  subscriptionId,
  today,
});
const cancel = (mode: 'immediately' | 'at_period_end', today: CalendarDate): SubscriptionCommand => ({
  type: 'CancelSubscription',
  subscriptionId,
  mode,
  reason: 'customer_request',
  today,
});
const attach = (today: CalendarDate, paymentMethodId = 'pm_om_1'): SubscriptionCommand => ({
  type: 'AttachPaymentMethod',
  subscriptionId,
  paymentMethodId,
  today,
});
const endTrial = (today: CalendarDate): SubscriptionCommand => ({ type: 'EndTrial', subscriptionId, today });
const markPastDue = (today: CalendarDate): SubscriptionCommand => ({
  type: 'MarkPastDue',
  subscriptionId,
  invoiceId: 'inv_1',
  today,
});
const suspend = (today: CalendarDate): SubscriptionCommand => ({
  type: 'SuspendSubscription',
  subscriptionId,
  today,
});
const reinstate = (today: CalendarDate): SubscriptionCommand => ({
  type: 'ReinstateSubscription',
  subscriptionId,
  today,
});

describe('StartSubscription', () => {
  it('starts a 14-day trial with no payment method; periods will count from the trial end', () => {
    spec(subscriptionDecider)
      .given([])
      .when(startTrial())
      .thenEvents([
        {
          type: 'SubscriptionStarted',
          data: {
            subscriptionId,
            tenantId,
            terms: subscriptionTermsToJson(essential),
            startedOn: '2026-03-01',
            trialEndsOn: '2026-03-15',
            anchorDate: '2026-03-15',
            period: null,
            periodIndex: null,
            firstPeriodCharge: null,
            paymentMethodId: null,
          },
        },
      ]);
  });

  it('starts paid at once for a full first period', () => {
    const [event] = spec(subscriptionDecider).given([]).when(startPaid()).events();
    expect(event?.data).toMatchObject({
      trialEndsOn: null,
      anchorDate: '2026-04-01',
      period: { start: '2026-04-01', end: '2026-05-01' },
      periodIndex: 0,
      firstPeriodCharge: { amountMinor: '15000', currency: 'XOF' },
    });
  });

  it('with a later anchor, charges the first stretch pro rata: 10 April → 1 May is 21/30 of 15 000 = 10 500 XOF', () => {
    const [event] = spec(subscriptionDecider)
      .given([])
      .when(startPaid('2026-04-10', essential, '2026-05-01'))
      .events();
    expect(event?.data).toMatchObject({
      anchorDate: '2026-05-01',
      period: { start: '2026-04-01', end: '2026-05-01' },
      periodIndex: -1,
      firstPeriodCharge: { amountMinor: '10500', currency: 'XOF' },
    });
  });
});

describe('from the catalog to a subscription', () => {
  it('starts on the offer of the latest plan version, a snapshot of its price', () => {
    const published = fold(planDecider, [
      {
        type: 'PlanPublished',
        data: {
          planCode: 'essential',
          version: 1,
          terms: planTermsToJson(essentialTerms),
          publishedAt: '2026-01-01T00:00:00Z',
        },
      },
    ]);
    const offer = offerFor(published, 'monthly', 'XOF', null);
    if (!offer.ok) throw new Error(offer.refusal.message);
    const events = history(startPaid('2026-04-01', offer.offer));
    const state = fold(subscriptionDecider, events);
    expect(state.status === 'active' && state.terms).toMatchObject({
      planVersion: 1,
      price: moneyOf('15000', 'XOF'),
    });
  });
});

describe('a first period shorter than the interval (later anchor)', () => {
  it('credits on an upgrade only the days left, over the full period the stretch belongs to', () => {
    // Started 10 April, anchored on 1 May: the period is April (30 days), 21 of them paid.
    // An upgrade on 16 April credits 15/30 × 15 000 = 7 500 and charges 15/30 × 45 000 = 22 500.
    const [event] = spec(subscriptionDecider)
      .given(history(startPaid('2026-04-10', essential, '2026-05-01')))
      .when(changePlan(professional, '2026-04-16'))
      .events();
    expect(event?.type === 'PlanChanged' && event.data.proration).toMatchObject({
      periodDays: 30,
      remainingDays: 15,
      credit: { amountMinor: '7500', currency: 'XOF' },
      charge: { amountMinor: '22500', currency: 'XOF' },
    });
  });
});

describe('trial end', () => {
  it('converts at the trial end when a payment method is on file', () => {
    spec(subscriptionDecider)
      .given(history(startTrial(), attach('2026-03-05')))
      .when(endTrial('2026-03-15'))
      .thenEvents([
        {
          type: 'TrialConverted',
          data: {
            subscriptionId,
            trigger: 'payment_method_on_file',
            invoiceId: null,
            convertedOn: '2026-03-15',
            period: { start: '2026-03-15', end: '2026-04-15' },
          },
        },
      ]);
  });

  it('expires without an invoice when no payment method is on file, dated the trial end even if the job runs late', () => {
    spec(subscriptionDecider)
      .given(history(startTrial()))
      .when(endTrial('2026-03-17'))
      .thenEvents([{ type: 'TrialExpired', data: { subscriptionId, expiredOn: '2026-03-15' } }]);
  });

  it('converts as soon as the first invoice is paid; the paid period still starts at the trial end', () => {
    spec(subscriptionDecider)
      .given(history(startTrial()))
      .when({ type: 'ConvertTrial', subscriptionId, invoiceId: 'inv_first', today: '2026-03-08' })
      .thenEvents([
        {
          type: 'TrialConverted',
          data: {
            subscriptionId,
            trigger: 'first_invoice_paid',
            invoiceId: 'inv_first',
            convertedOn: '2026-03-08',
            period: { start: '2026-03-15', end: '2026-04-15' },
          },
        },
      ]);
  });

  it("converts on an operator's word with the invoice still unpaid, and says so", () => {
    spec(subscriptionDecider)
      .given(history(startTrial()))
      .when({
        type: 'ConvertTrial',
        subscriptionId,
        invoiceId: 'inv_first',
        today: '2026-03-08',
        by: 'operator',
      })
      .thenEvents([
        {
          type: 'TrialConverted',
          data: {
            subscriptionId,
            trigger: 'operator',
            invoiceId: 'inv_first',
            convertedOn: '2026-03-08',
            period: { start: '2026-03-15', end: '2026-04-15' },
          },
        },
      ]);
  });

  it('cancels at the trial end when a cancellation was scheduled', () => {
    spec(subscriptionDecider)
      .given(history(startTrial(), attach('2026-03-02'), cancel('at_period_end', '2026-03-03')))
      .when(endTrial('2026-03-15'))
      .thenEvents([
        {
          type: 'SubscriptionCanceled',
          data: {
            subscriptionId,
            mode: 'at_period_end',
            canceledOn: '2026-03-15',
            reason: 'customer_request',
            credit: null,
          },
        },
      ]);
  });
});

describe('RenewSubscription', () => {
  it('starts the next period counted from the anchor', () => {
    spec(subscriptionDecider)
      .given(history(startPaid()))
      .when(renew('2026-05-01'))
      .thenEvents([
        {
          type: 'SubscriptionRenewed',
          data: {
            subscriptionId,
            renewedOn: '2026-05-01',
            period: { start: '2026-05-01', end: '2026-06-01' },
            periodIndex: 1,
            anchorDate: '2026-04-01',
            terms: subscriptionTermsToJson(essential),
            scheduledChangeApplied: false,
          },
        },
      ]);
  });

  it('keeps a 31st anchor: 31 Jan → 28 Feb → 31 Mar', () => {
    const events = history(startPaid('2026-01-31'), renew('2026-02-28'), renew('2026-03-31'));
    const state = fold(subscriptionDecider, events);
    expect(state.status === 'active' && state.currentPeriod).toEqual({
      start: '2026-03-31',
      end: '2026-04-30',
    });
  });

  it('applies a scheduled downgrade at the period end', () => {
    const [event] = spec(subscriptionDecider)
      .given(history(startPaid('2026-04-01', professional), changePlan(essential, '2026-04-20')))
      .when(renew('2026-05-01'))
      .events();
    expect(event?.data).toMatchObject({
      terms: subscriptionTermsToJson(essential),
      scheduledChangeApplied: true,
    });
  });

  it('moves monthly → annual at the end of the month, counting years from there', () => {
    const [event] = spec(subscriptionDecider)
      .given(history(startPaid(), changePlan(essentialAnnual, '2026-04-20')))
      .when(renew('2026-05-02'))
      .events();
    expect(event?.data).toMatchObject({
      anchorDate: '2026-05-01',
      period: { start: '2026-05-01', end: '2027-05-01' },
      periodIndex: 0,
      terms: { interval: 'annual', price: { amountMinor: '150000', currency: 'XOF' } },
    });
  });

  it('cancels instead when a cancellation is scheduled', () => {
    spec(subscriptionDecider)
      .given(history(startPaid(), cancel('at_period_end', '2026-04-10')))
      .when(renew('2026-05-01'))
      .thenEvents([
        {
          type: 'SubscriptionCanceled',
          data: {
            subscriptionId,
            mode: 'at_period_end',
            canceledOn: '2026-05-01',
            reason: 'customer_request',
            credit: null,
          },
        },
      ]);
  });
});

describe('ChangePlan', () => {
  it('upgrades at once with proration: 10 → 20 EUR halfway through 30 days bills +5 EUR', () => {
    const ten = eurTerms('basic', moneyOf('10', 'EUR'));
    const twenty = eurTerms('plus', moneyOf('20', 'EUR'));
    spec(subscriptionDecider)
      .given(history(startPaid('2026-04-01', ten)))
      .when(changePlan(twenty, '2026-04-16'))
      .thenEvents([
        {
          type: 'PlanChanged',
          data: {
            subscriptionId,
            changedOn: '2026-04-16',
            direction: 'upgrade',
            from: subscriptionTermsToJson(ten),
            to: subscriptionTermsToJson(twenty),
            proration: {
              period: { start: '2026-04-01', end: '2026-05-01' },
              periodDays: 30,
              usedDays: 15,
              remainingDays: 15,
              credit: { amountMinor: '500', currency: 'EUR' },
              chargedPeriod: { start: '2026-04-16', end: '2026-05-01' },
              charge: { amountMinor: '1000', currency: 'EUR' },
              net: { amountMinor: '500', currency: 'EUR' },
            },
            anchorDate: '2026-04-01',
            period: { start: '2026-04-01', end: '2026-05-01' },
            periodIndex: 0,
          },
        },
      ]);
  });

  it('previews exactly what it then decides: Essential → Professional on day 16 of April nets 15 000 XOF', () => {
    const given = history(startPaid());
    const preview = previewPlanChange(
      changePlan(professional, '2026-04-16'),
      fold(subscriptionDecider, given),
    );
    expect(preview).toMatchObject({
      ok: true,
      preview: {
        direction: 'upgrade',
        timing: 'immediately',
        effectiveOn: '2026-04-16',
        proration: {
          credit: toMoneyJson(moneyOf('7500', 'XOF')),
          charge: toMoneyJson(moneyOf('22500', 'XOF')),
          net: toMoneyJson(moneyOf('15000', 'XOF')),
        },
      },
    });
    const [event] = spec(subscriptionDecider)
      .given(given)
      .when(changePlan(professional, '2026-04-16'))
      .events();
    expect(preview.ok && event?.type === 'PlanChanged' && event.data.proration).toEqual(
      preview.ok && preview.preview.proration,
    );
  });

  it('schedules a downgrade for the period end, and previews it with no amounts', () => {
    const given = history(startPaid('2026-04-01', professional));
    spec(subscriptionDecider)
      .given(given)
      .when(changePlan(essential, '2026-04-20'))
      .thenEvents([
        {
          type: 'PlanChangeScheduled',
          data: {
            subscriptionId,
            scheduledOn: '2026-04-20',
            effectiveOn: '2026-05-01',
            direction: 'downgrade',
            to: subscriptionTermsToJson(essential),
          },
        },
      ]);
    expect(previewPlanChange(changePlan(essential, '2026-04-20'), fold(subscriptionDecider, given))).toEqual({
      ok: true,
      preview: {
        direction: 'downgrade',
        timing: 'at_period_end',
        effectiveOn: '2026-05-01',
        proration: null,
      },
    });
  });

  it('withdraws a scheduled downgrade when asked for the current terms again', () => {
    const given = history(startPaid('2026-04-01', professional), changePlan(essential, '2026-04-20'));
    const [event] = spec(subscriptionDecider)
      .given(given)
      .when(changePlan(professional, '2026-04-21'))
      .events();
    expect(event).toMatchObject({ type: 'PlanChangeScheduled', data: { direction: 'lateral' } });
    const renewed = history(
      startPaid('2026-04-01', professional),
      changePlan(essential, '2026-04-20'),
      changePlan(professional, '2026-04-21'),
      renew('2026-05-01'),
    );
    const state = fold(subscriptionDecider, renewed);
    expect(state.status === 'active' && state.terms.planCode).toBe('professional');
  });

  it('switches at once and prorates nothing during a trial', () => {
    const [event] = spec(subscriptionDecider)
      .given(history(startTrial()))
      .when(changePlan(professional, '2026-03-05'))
      .events();
    expect(event).toMatchObject({
      type: 'PlanChanged',
      data: { direction: 'upgrade', proration: null, period: null },
    });
  });
});

describe('dunning', () => {
  it('goes past due, then suspended, then reinstated', () => {
    spec(subscriptionDecider)
      .given(history(startPaid()))
      .when(markPastDue('2026-04-16'))
      .thenEvents([
        {
          type: 'SubscriptionPastDue',
          data: { subscriptionId, invoiceId: 'inv_1', pastDueOn: '2026-04-16' },
        },
      ]);
    spec(subscriptionDecider)
      .given(history(startPaid(), markPastDue('2026-04-16')))
      .when(suspend('2026-04-30'))
      .thenEvents([{ type: 'SubscriptionSuspended', data: { subscriptionId, suspendedOn: '2026-04-30' } }]);
    spec(subscriptionDecider)
      .given(history(startPaid(), markPastDue('2026-04-16'), suspend('2026-04-30')))
      .when(reinstate('2026-05-02'))
      .thenEvents([{ type: 'SubscriptionReinstated', data: { subscriptionId, reinstatedOn: '2026-05-02' } }]);
  });
});

describe('CancelSubscription', () => {
  it('cancels at once with a credit for the unused days: 100 EUR on 15 January credits 54.84 EUR', () => {
    spec(subscriptionDecider)
      .given(history(startPaid('2026-01-01', eurTerms('pro', moneyOf('100', 'EUR')))))
      .when(cancel('immediately', '2026-01-15'))
      .thenEvents([
        {
          type: 'SubscriptionCanceled',
          data: {
            subscriptionId,
            mode: 'immediately',
            canceledOn: '2026-01-15',
            reason: 'customer_request',
            credit: {
              period: { start: '2026-01-01', end: '2026-02-01' },
              periodDays: 31,
              unusedDays: 17,
              amount: { amountMinor: '5484', currency: 'EUR' },
            },
          },
        },
      ]);
  });

  it('withdraws a scheduled cancellation, and the subscription renews', () => {
    const given = history(startPaid(), cancel('at_period_end', '2026-04-10'));
    spec(subscriptionDecider)
      .given(given)
      .when({ type: 'WithdrawCancellation', subscriptionId, today: '2026-04-12' })
      .thenEvents([
        { type: 'SubscriptionCancellationWithdrawn', data: { subscriptionId, withdrawnOn: '2026-04-12' } },
      ]);
    const [event] = spec(subscriptionDecider)
      .given(
        history(startPaid(), cancel('at_period_end', '2026-04-10'), {
          type: 'WithdrawCancellation',
          subscriptionId,
          today: '2026-04-12',
        }),
      )
      .when(renew('2026-05-01'))
      .events();
    expect(event?.type).toBe('SubscriptionRenewed');
  });

  it('cancels a trial at once with no credit', () => {
    const [event] = spec(subscriptionDecider)
      .given(history(startTrial()))
      .when(cancel('immediately', '2026-03-03'))
      .events();
    expect(event).toMatchObject({ type: 'SubscriptionCanceled', data: { credit: null } });
  });

  it('schedules a cancellation for the period end', () => {
    spec(subscriptionDecider)
      .given(history(startPaid()))
      .when(cancel('at_period_end', '2026-04-10'))
      .thenEvents([
        {
          type: 'SubscriptionCancellationScheduled',
          data: {
            subscriptionId,
            scheduledOn: '2026-04-10',
            effectiveOn: '2026-05-01',
            reason: 'customer_request',
          },
        },
      ]);
  });
});

describe('subscription refusals, from the top rule down', () => {
  const dollars = eurTerms('essential', moneyOf('-1', 'USD'));
  const canceled = history(startPaid(), cancel('immediately', '2026-04-10'));
  const trialing = history(startTrial());
  const active = history(startPaid());
  const pastDue = history(startPaid(), markPastDue('2026-04-16'));
  // Each row breaks its rule and, where the command allows, the rules below it: the row proves
  // that its rule is checked first.
  const rows: [string, SubscriptionEvent[], SubscriptionCommand, SubscriptionRefusalCode, string?][] = [
    ['subscription_not_found', [], changePlan(dollars, 'not-a-date'), 'subscription_not_found'],
    [
      'subscription_already_exists',
      active,
      { ...startPaid('bad'), terms: dollars } as SubscriptionCommand,
      'subscription_already_exists',
    ],
    ['subscription_ended (canceled)', canceled, changePlan(dollars, '2026-01-01'), 'subscription_ended'],
    [
      'subscription_ended (expired)',
      history(startTrial(), endTrial('2026-03-15')),
      endTrial('2026-01-01'),
      'subscription_ended',
    ],
    ['subscription_not_trialing', active, endTrial('bad'), 'subscription_not_trialing'],
    ['subscription_not_active (renew)', pastDue, renew('bad'), 'subscription_not_active'],
    ['subscription_not_active (change)', pastDue, changePlan(dollars, 'bad'), 'subscription_not_active'],
    [
      'subscription_not_active (cancel at period end)',
      pastDue,
      cancel('at_period_end', 'bad'),
      'subscription_not_active',
    ],
    ['subscription_not_past_due', active, suspend('bad'), 'subscription_not_past_due'],
    ['subscription_not_delinquent', active, reinstate('bad'), 'subscription_not_delinquent'],
    [
      'field: subscriptionId',
      [],
      { ...startPaid(), subscriptionId: '', terms: dollars } as SubscriptionCommand,
      'subscription_field_invalid',
      'subscriptionId',
    ],
    [
      'field: terms.planCode',
      active,
      changePlan({ ...dollars, planCode: 'X' }, 'bad'),
      'subscription_field_invalid',
      'terms.planCode',
    ],
    ['field: terms.price', active, changePlan(dollars, 'bad'), 'subscription_field_invalid', 'terms.price'],
    ['field: today', active, changePlan(professional, '2026-02-30'), 'subscription_field_invalid', 'today'],
    [
      'field: trialDays',
      [],
      { ...startTrial(), trialDays: 0 } as SubscriptionCommand,
      'subscription_field_invalid',
      'trialDays',
    ],
    [
      'field: anchorDate',
      [],
      startPaid('2026-04-01', essential, '2026-05-02'),
      'subscription_field_invalid',
      'anchorDate',
    ],
    [
      'field: reason',
      active,
      { ...cancel('immediately', '2026-01-01'), reason: 'bored' } as unknown as SubscriptionCommand,
      'subscription_field_invalid',
      'reason',
    ],
    [
      'date_out_of_order',
      active,
      changePlan(eurTerms('essential', moneyOf('1', 'EUR')), '2026-03-31'),
      'date_out_of_order',
      'today',
    ],
    ['trial_not_over', trialing, endTrial('2026-03-14'), 'trial_not_over'],
    ['period_not_over', active, renew('2026-04-30'), 'period_not_over'],
    [
      'period_over',
      active,
      changePlan(eurTerms('essential', moneyOf('15000', 'EUR')), '2026-05-01'),
      'period_over',
    ],
    ['period_over (trial)', trialing, changePlan(professional, '2026-03-15'), 'period_over'],
    [
      'currency_mismatch',
      active,
      changePlan(eurTerms('essential', moneyOf('15000', 'EUR')), '2026-04-10'),
      'currency_mismatch',
      'terms.price',
    ],
    ['plan_unchanged', active, changePlan(essential, '2026-04-10'), 'plan_unchanged'],
    [
      'plan_unchanged (same as scheduled)',
      history(startPaid('2026-04-01', professional), changePlan(essential, '2026-04-20')),
      changePlan(essential, '2026-04-21'),
      'plan_unchanged',
    ],
    [
      'cancellation_already_scheduled',
      history(startPaid(), cancel('at_period_end', '2026-04-10')),
      cancel('at_period_end', '2026-04-11'),
      'cancellation_already_scheduled',
    ],
    [
      'cancellation_not_scheduled',
      active,
      { type: 'WithdrawCancellation', subscriptionId, today: '2026-04-11' },
      'cancellation_not_scheduled',
    ],
    ['payment_method_unchanged', active, attach('2026-04-02', 'pm_wave_1'), 'payment_method_unchanged'],
  ];

  it('covers every code of the vocabulary, in its order', () => {
    expect([...new Set(rows.map(([, , , code]) => code))]).toEqual([...subscriptionRefusalCodes]);
  });

  it.each(rows)('%s', (_name, given, command, code, field) => {
    spec(subscriptionDecider).given(given).when(command).thenRefuses(code, field);
  });
});

describe('entitlements', () => {
  it.each([
    ['no subscription', [], '2026-04-01', false, 'no_subscription'],
    ['trialing', history(startTrial()), '2026-03-10', true, 'trialing'],
    [
      'trial over, no payment method, job not run yet',
      history(startTrial()),
      '2026-03-15',
      false,
      'trial_ended',
    ],
    [
      'trial over, payment method on file',
      history(startTrial(), attach('2026-03-02')),
      '2026-03-16',
      true,
      'trialing',
    ],
    ['active', history(startPaid()), '2026-04-10', true, 'active'],
    ['past due', history(startPaid(), markPastDue('2026-04-16')), '2026-04-20', true, 'past_due_grace'],
    [
      'suspended',
      history(startPaid(), markPastDue('2026-04-16'), suspend('2026-04-30')),
      '2026-04-30',
      false,
      'subscription_suspended',
    ],
    [
      'canceled',
      history(startPaid(), cancel('immediately', '2026-04-10')),
      '2026-04-10',
      false,
      'subscription_canceled',
    ],
    ['expired', history(startTrial(), endTrial('2026-03-15')), '2026-03-15', false, 'trial_expired'],
  ] as const)('%s: allowed %s (%s)', (_name, given, today, allowed, reason) => {
    const answer = entitlements(fold(subscriptionDecider, given), today);
    expect(answer).toMatchObject({ allowed, reason });
  });

  it('gives the quotas of the terms bought', () => {
    const answer = entitlements(fold(subscriptionDecider, history(startPaid())), '2026-04-10');
    expect(answer.quotas).toContainEqual({ meter: 'tickets', includedQuantity: 5000, overageAllowed: true });
    expect(answer.periodEndsOn).toBe('2026-05-01');
  });

  it('says no when the tenant is suspended or closed, whatever the subscription', () => {
    const state = fold(subscriptionDecider, history(startPaid()));
    expect(entitlements(state, '2026-04-10', 'suspended')).toMatchObject({
      allowed: false,
      reason: 'tenant_suspended',
    });
    expect(entitlements(state, '2026-04-10', 'closed')).toMatchObject({
      allowed: false,
      reason: 'tenant_closed',
    });
  });
});

describe('replay', () => {
  const catalog = new EventCatalog(subscriptionEventDefinitions);
  const allTerms = [essential, professional, essentialAnnual, catalogTerms('professional', 'annual')];
  // Commands carry a day offset; the generator walks time forward so most commands are accepted.
  const step = fc.tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.oneof(
      fc.constantFrom(...allTerms).map((terms) => (today: CalendarDate) => changePlan(terms, today)),
      fc.constant(renew),
      fc.constant(endTrial),
      fc.constant((today: CalendarDate) => attach(today, `pm_${today}`)),
      fc.constant(
        (today: CalendarDate): SubscriptionCommand => ({
          type: 'ConvertTrial',
          subscriptionId,
          invoiceId: 'inv_x',
          today,
        }),
      ),
      fc.constant(
        (today: CalendarDate): SubscriptionCommand => ({
          type: 'WithdrawCancellation',
          subscriptionId,
          today,
        }),
      ),
      fc.constant(markPastDue),
      fc.constant(suspend),
      fc.constant(reinstate),
      fc
        .constantFrom<'immediately' | 'at_period_end'>('immediately', 'at_period_end')
        .map((mode) => (today: CalendarDate) => cancel(mode, today)),
    ),
  );

  it('replaying the stored events of any history gives the same state, and credits never exceed the price', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...allTerms),
        fc.array(step, { maxLength: 25 }),
        (trial, terms, steps) => {
          const first = trial ? startTrial('2026-01-31', terms) : startPaid('2026-01-31', terms);
          const commands: SubscriptionCommand[] = [first];
          let today = '2026-01-31';
          for (const [days, make] of steps) {
            today = addDays(today, days);
            commands.push(make(today));
          }
          let state = subscriptionDecider.initialState();
          const stored: SubscriptionEvent[] = [];
          for (const command of commands) {
            const decision = subscriptionDecider.decide(command, state);
            if (!decision.ok) continue;
            for (const event of decision.events) {
              const before = state;
              state = subscriptionDecider.evolve(state, event);
              if (event.type === 'PlanChanged' && event.data.proration !== null && before.status !== 'none') {
                expect(
                  BigInt(event.data.proration.credit.amountMinor) <=
                    BigInt(event.data.from.price.amountMinor),
                ).toBe(true);
                expect(
                  BigInt(event.data.proration.charge.amountMinor) <= BigInt(event.data.to.price.amountMinor),
                ).toBe(true);
              }
              const { data } = catalog.validate(event.type, JSON.parse(JSON.stringify(event.data)));
              stored.push({ type: event.type, data } as SubscriptionEvent);
            }
          }
          expect(fold(subscriptionDecider, stored)).toEqual(state);
        },
      ),
      { numRuns: 200 },
    );
  });
});
