import { type CurrencyCode, isNegative, type Money } from '../money/index.ts';
import type { Refusal } from '../shared/decider.ts';
import { type BillingInterval, latestVersion, listPrice, type MeterTerms, type PlanState } from './plan.ts';

/**
 * What a new subscription to a plan is sold at: the latest version's price for an interval and
 * currency, or the price negotiated with the tenant for a negotiated plan (Enterprise). The result
 * has the shape of a subscription's terms, so the use case that starts or changes a subscription
 * passes it on as the command's `terms`, and the subscription keeps that snapshot.
 */
export interface Offer {
  readonly planCode: string;
  readonly planVersion: number;
  readonly interval: BillingInterval;
  readonly price: Money;
  readonly meters: readonly MeterTerms[];
}

/** Refusals of `offerFor`, in the order they are checked. */
export const offerRefusalCodes = [
  'plan_not_found',
  'plan_retired',
  'negotiated_price_required',
  'negotiated_price_not_allowed',
  'plan_not_sold_in',
] as const;
export type OfferRefusalCode = (typeof offerRefusalCodes)[number];

export function offerFor(
  plan: PlanState,
  interval: BillingInterval,
  currency: CurrencyCode,
  negotiatedPrice: Money | null,
):
  | { readonly ok: true; readonly offer: Offer }
  | { readonly ok: false; readonly refusal: Refusal<OfferRefusalCode> } {
  if (plan.status === 'unpublished') return refused('plan_not_found', 'no such plan');
  if (plan.status === 'retired') return refused('plan_retired', `plan ${plan.planCode} is no longer sold`);
  const version = latestVersion(plan);
  const base = { planCode: plan.planCode, planVersion: version.version, interval, meters: version.meters };
  if (version.pricing.kind === 'negotiated') {
    if (negotiatedPrice === null) {
      return refused(
        'negotiated_price_required',
        `plan ${plan.planCode} is priced per tenant`,
        'negotiatedPrice',
      );
    }
    if (negotiatedPrice.currency !== currency || isNegative(negotiatedPrice)) {
      return refused(
        'plan_not_sold_in',
        `a negotiated price in ${currency}, not negative`,
        'negotiatedPrice',
      );
    }
    return { ok: true, offer: { ...base, price: negotiatedPrice } };
  }
  if (negotiatedPrice !== null) {
    return refused(
      'negotiated_price_not_allowed',
      `plan ${plan.planCode} has a list price`,
      'negotiatedPrice',
    );
  }
  const price = listPrice(version, interval, currency);
  if (price === null)
    return refused('plan_not_sold_in', `plan ${plan.planCode} is not sold ${interval} in ${currency}`);
  return { ok: true, offer: { ...base, price } };
}

function refused(
  code: OfferRefusalCode,
  message: string,
  field?: string,
): { readonly ok: false; readonly refusal: Refusal<OfferRefusalCode> } {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}
