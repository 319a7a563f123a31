import { z } from 'zod';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import {
  type CurrencyCode,
  fromMoneyJson,
  type Money,
  nonNegativeMoneySchema,
  toMoneyJson,
} from '../money/index.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';

/**
 * The plan aggregate: one stream per plan code (`plan-<code>`). A plan is published once, then
 * changes only by publishing a new version; a subscription records the version it was sold and
 * keeps it until it is moved explicitly, so a price change never reaches an existing customer by
 * accident. Retiring a plan stops new sales; existing subscriptions are untouched.
 */

/** Limits, named so a reader sees them. */
export const planNameLengthMax = 100;
export const trialDaysMax = 90;
export const trialDaysDefault = 14;
export const pricesPerPlanMax = 20;
export const meteredQuantityMax = 1_000_000_000_000;

export const billingIntervals = ['monthly', 'annual'] as const;
export type BillingInterval = (typeof billingIntervals)[number];

/** How many calendar months an interval spans: the unit every period and price comparison uses. */
export function monthsPerInterval(interval: BillingInterval): number {
  switch (interval) {
    case 'monthly':
      return 1;
    case 'annual':
      return 12;
    default:
      return assertNever(interval, 'billing interval');
  }
}

/** The usage meters the core product reports, with the unit one quantity counts. */
export const usageMeters = ['tickets', 'sms', 'storage', 'api_calls'] as const;
export type UsageMeter = (typeof usageMeters)[number];
export const usageMeterUnits: Readonly<Record<UsageMeter, string>> = {
  tickets: 'ticket',
  sms: 'message',
  storage: 'gigabyte',
  api_calls: 'call',
};

export const planCodePattern = /^[a-z][a-z0-9_-]{1,39}$/;

const quantity = z.number().int().min(0).max(meteredQuantityMax);

export const listPriceSchema = z.object({
  interval: z.enum(billingIntervals),
  price: nonNegativeMoneySchema,
});

/**
 * What one meter grants per billing period: `includedQuantity` (null = unlimited), then overage
 * sold by blocks (`blockSize` units for `pricesPerBlock`, one price per currency). A null overage
 * means the quota is a hard cap.
 */
export const meterTermsSchema = z.object({
  meter: z.enum(usageMeters),
  includedQuantity: quantity.nullable(),
  overage: z
    .object({
      blockSize: quantity.min(1),
      pricesPerBlock: z.array(nonNegativeMoneySchema).min(1).max(pricesPerPlanMax),
    })
    .nullable(),
});

/** A list price per interval and currency, or a price negotiated per tenant (Enterprise). */
export const pricingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), prices: z.array(listPriceSchema).min(1).max(pricesPerPlanMax) }),
  z.object({ kind: z.literal('negotiated') }),
]);

export const planTermsSchema = z.object({
  name: z.string().min(1).max(planNameLengthMax),
  pricing: pricingSchema,
  trialDays: z.number().int().min(0).max(trialDaysMax),
  meters: z.array(meterTermsSchema).max(usageMeters.length),
});

export const planStreamName = (planCode: string): string => `plan-${planCode}`;

const planCode = z.string().regex(planCodePattern);
const instant = z.iso.datetime({ offset: true });

export const planPublished = defineEvent({
  type: 'PlanPublished',
  version: 1,
  schema: z.object({ planCode, version: z.literal(1), terms: planTermsSchema, publishedAt: instant }),
});

export const planVersionPublished = defineEvent({
  type: 'PlanVersionPublished',
  version: 1,
  schema: z.object({
    planCode,
    version: z.number().int().min(2),
    terms: planTermsSchema,
    publishedAt: instant,
  }),
});

export const planRetired = defineEvent({
  type: 'PlanRetired',
  version: 1,
  schema: z.object({ planCode, lastVersion: z.number().int().min(1), retiredAt: instant }),
});

export const catalogEventDefinitions = [planPublished, planVersionPublished, planRetired];

export type PlanEvent =
  | EventOf<typeof planPublished>
  | EventOf<typeof planVersionPublished>
  | EventOf<typeof planRetired>;

export type PlanTermsJson = z.infer<typeof planTermsSchema>;
export type MeterTermsJson = z.infer<typeof meterTermsSchema>;

/** In memory, prices are Money; in events they are MoneyJson. */
export interface MeterTerms {
  readonly meter: UsageMeter;
  readonly includedQuantity: number | null;
  readonly overage: { readonly blockSize: number; readonly pricesPerBlock: readonly Money[] } | null;
}

export type Pricing =
  | {
      readonly kind: 'list';
      readonly prices: readonly { readonly interval: BillingInterval; readonly price: Money }[];
    }
  | { readonly kind: 'negotiated' };

export interface PlanTerms {
  readonly name: string;
  readonly pricing: Pricing;
  readonly trialDays: number;
  readonly meters: readonly MeterTerms[];
}

export interface PlanVersion extends PlanTerms {
  readonly version: number;
  readonly publishedAt: string;
}

export type PlanState =
  | { readonly status: 'unpublished' }
  | { readonly status: 'published'; readonly planCode: string; readonly versions: readonly PlanVersion[] }
  | {
      readonly status: 'retired';
      readonly planCode: string;
      readonly versions: readonly PlanVersion[];
      readonly retiredAt: string;
    };

export function initialPlanState(): PlanState {
  return { status: 'unpublished' };
}

export function latestVersion(state: { readonly versions: readonly PlanVersion[] }): PlanVersion {
  const latest = state.versions.at(-1);
  if (latest === undefined) throw new InvariantViolation('a published plan has at least one version');
  return latest;
}

export function termsFromJson(json: PlanTermsJson): PlanTerms {
  return {
    name: json.name,
    trialDays: json.trialDays,
    pricing:
      json.pricing.kind === 'list'
        ? {
            kind: 'list',
            prices: json.pricing.prices.map((p) => ({ interval: p.interval, price: fromMoneyJson(p.price) })),
          }
        : { kind: 'negotiated' },
    meters: json.meters.map(meterTermsFromJson),
  };
}

export function meterTermsFromJson(json: MeterTermsJson): MeterTerms {
  return {
    meter: json.meter,
    includedQuantity: json.includedQuantity,
    overage:
      json.overage === null
        ? null
        : {
            blockSize: json.overage.blockSize,
            pricesPerBlock: json.overage.pricesPerBlock.map(fromMoneyJson),
          },
  };
}

export function termsToJson(terms: PlanTerms): PlanTermsJson {
  return {
    name: terms.name,
    trialDays: terms.trialDays,
    pricing:
      terms.pricing.kind === 'list'
        ? {
            kind: 'list',
            prices: terms.pricing.prices.map((p) => ({ interval: p.interval, price: toMoneyJson(p.price) })),
          }
        : { kind: 'negotiated' },
    meters: terms.meters.map(meterTermsToJson),
  };
}

export function meterTermsToJson(terms: MeterTerms): MeterTermsJson {
  return {
    meter: terms.meter,
    includedQuantity: terms.includedQuantity,
    overage:
      terms.overage === null
        ? null
        : {
            blockSize: terms.overage.blockSize,
            pricesPerBlock: terms.overage.pricesPerBlock.map(toMoneyJson),
          },
  };
}

/** The list price of a version for an interval and currency, or null when it is not sold that way. */
export function listPrice(
  version: PlanTerms,
  interval: BillingInterval,
  currency: CurrencyCode,
): Money | null {
  if (version.pricing.kind !== 'list') return null;
  return (
    version.pricing.prices.find((p) => p.interval === interval && p.price.currency === currency)?.price ??
    null
  );
}

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanPublished':
      return {
        status: 'published',
        planCode: event.data.planCode,
        versions: [{ ...termsFromJson(event.data.terms), version: 1, publishedAt: event.data.publishedAt }],
      };
    case 'PlanVersionPublished': {
      if (state.status !== 'published')
        throw new InvariantViolation(`PlanVersionPublished on a ${state.status} plan`);
      const version = {
        ...termsFromJson(event.data.terms),
        version: event.data.version,
        publishedAt: event.data.publishedAt,
      };
      return { ...state, versions: [...state.versions, version] };
    }
    case 'PlanRetired': {
      if (state.status !== 'published') throw new InvariantViolation(`PlanRetired on a ${state.status} plan`);
      return {
        status: 'retired',
        planCode: state.planCode,
        versions: state.versions,
        retiredAt: event.data.retiredAt,
      };
    }
    default:
      return assertNever(event, 'plan event');
  }
}
