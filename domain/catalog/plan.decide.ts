import { isNegative } from '../money/index.ts';
import {
  accept,
  assertNever,
  type Decider,
  type Decision,
  InvariantViolation,
  type Refusal,
  refuse,
} from '../shared/decider.ts';
import {
  evolvePlan,
  initialPlanState,
  latestVersion,
  type PlanEvent,
  type PlanState,
  type PlanTerms,
  planCodePattern,
  planNameLengthMax,
  termsToJson,
  trialDaysMax,
} from './plan.ts';

export type PublishPlan = {
  readonly type: 'PublishPlan';
  readonly planCode: string;
  readonly terms: PlanTerms;
  /** The instant the plan is published, from the caller's clock. */
  readonly now: string;
};

/** Publishes new terms for an existing plan; subscriptions on older versions keep theirs. */
export type PublishPlanVersion = {
  readonly type: 'PublishPlanVersion';
  readonly planCode: string;
  readonly terms: PlanTerms;
  readonly now: string;
};

export type RetirePlan = { readonly type: 'RetirePlan'; readonly planCode: string; readonly now: string };

export type PlanCommand = PublishPlan | PublishPlanVersion | RetirePlan;

/** The plan's refusals, in the order they are checked. */
export const planRefusalCodes = [
  'plan_not_found',
  'plan_already_published',
  'plan_retired',
  'plan_field_invalid',
  'plan_version_unchanged',
] as const;
export type PlanRefusalCode = (typeof planRefusalCodes)[number];

type PlanDecision = Decision<PlanEvent, PlanRefusalCode>;

export function decidePlan(command: PlanCommand, state: PlanState): PlanDecision {
  if (state.status !== 'unpublished' && state.planCode !== command.planCode) {
    // The stream is named after the code, so a mismatch means the caller loaded the wrong stream.
    throw new InvariantViolation(`command for plan ${command.planCode} folded over plan ${state.planCode}`);
  }
  switch (command.type) {
    case 'PublishPlan': {
      if (state.status !== 'unpublished') {
        return refuse(
          'plan_already_published',
          `plan ${command.planCode} already exists; publish a new version`,
        );
      }
      const invalid = validatePlan(command.planCode, command.terms);
      if (invalid !== null) return { ok: false, refusal: invalid };
      return accept({
        type: 'PlanPublished',
        data: {
          planCode: command.planCode,
          version: 1,
          terms: termsToJson(command.terms),
          publishedAt: command.now,
        },
      });
    }
    case 'PublishPlanVersion': {
      if (state.status === 'unpublished') return refuse('plan_not_found', `no plan ${command.planCode}`);
      if (state.status === 'retired') return refuse('plan_retired', `plan ${command.planCode} is retired`);
      const invalid = validatePlan(command.planCode, command.terms);
      if (invalid !== null) return { ok: false, refusal: invalid };
      const latest = latestVersion(state);
      if (JSON.stringify(termsToJson(latest)) === JSON.stringify(termsToJson(command.terms))) {
        return refuse('plan_version_unchanged', `the terms equal version ${latest.version}`);
      }
      return accept({
        type: 'PlanVersionPublished',
        data: {
          planCode: command.planCode,
          version: latest.version + 1,
          terms: termsToJson(command.terms),
          publishedAt: command.now,
        },
      });
    }
    case 'RetirePlan': {
      if (state.status === 'unpublished') return refuse('plan_not_found', `no plan ${command.planCode}`);
      if (state.status === 'retired')
        return refuse('plan_retired', `plan ${command.planCode} is already retired`);
      return accept({
        type: 'PlanRetired',
        data: {
          planCode: command.planCode,
          lastVersion: latestVersion(state).version,
          retiredAt: command.now,
        },
      });
    }
    default:
      return assertNever(command, 'plan command');
  }
}

function invalid(field: string, message: string): Refusal<PlanRefusalCode> {
  return { code: 'plan_field_invalid', message, field };
}

/** Checks a plan's terms field by field, in a fixed order, and names the first field at fault. */
export function validatePlan(planCode: string, terms: PlanTerms): Refusal<PlanRefusalCode> | null {
  if (!planCodePattern.test(planCode))
    return invalid('planCode', 'a lowercase code of 2 to 40 letters, digits, - or _');
  const name = terms.name.trim();
  if (name.length === 0 || name.length > planNameLengthMax || name !== terms.name) {
    return invalid('terms.name', `a name of 1 to ${planNameLengthMax} characters without surrounding spaces`);
  }
  if (!Number.isInteger(terms.trialDays) || terms.trialDays < 0 || terms.trialDays > trialDaysMax) {
    return invalid('terms.trialDays', `a whole number of days from 0 to ${trialDaysMax}`);
  }
  const priceCurrencies = new Set<string>();
  if (terms.pricing.kind === 'list') {
    if (terms.pricing.prices.length === 0) return invalid('terms.pricing.prices', 'at least one price');
    const seen = new Set<string>();
    for (const [index, { interval, price }] of terms.pricing.prices.entries()) {
      if (isNegative(price))
        return invalid(`terms.pricing.prices.${index}.price`, 'a price must not be negative');
      const key = `${interval}/${price.currency}`;
      if (seen.has(key))
        return invalid(`terms.pricing.prices.${index}`, `two ${interval} prices in ${price.currency}`);
      seen.add(key);
      priceCurrencies.add(price.currency);
    }
  }
  const meters = new Set<string>();
  for (const [index, terms_] of terms.meters.entries()) {
    const at = `terms.meters.${index}`;
    if (meters.has(terms_.meter)) return invalid(`${at}.meter`, `meter ${terms_.meter} listed twice`);
    meters.add(terms_.meter);
    const included = terms_.includedQuantity;
    if (included !== null && (!Number.isSafeInteger(included) || included < 0)) {
      return invalid(`${at}.includedQuantity`, 'a whole quantity, or null for unlimited');
    }
    if (terms_.overage === null) continue;
    if (!Number.isSafeInteger(terms_.overage.blockSize) || terms_.overage.blockSize < 1) {
      return invalid(`${at}.overage.blockSize`, 'a whole number of units, at least 1');
    }
    const overageCurrencies = new Set<string>();
    for (const [i, price] of terms_.overage.pricesPerBlock.entries()) {
      if (isNegative(price))
        return invalid(`${at}.overage.pricesPerBlock.${i}`, 'a price must not be negative');
      if (overageCurrencies.has(price.currency)) {
        return invalid(`${at}.overage.pricesPerBlock.${i}`, `two overage prices in ${price.currency}`);
      }
      overageCurrencies.add(price.currency);
    }
    for (const currency of priceCurrencies) {
      // A plan sold in a currency must be able to bill its overage in that currency too.
      if (!overageCurrencies.has(currency)) {
        return invalid(
          `${at}.overage.pricesPerBlock`,
          `no overage price in ${currency}, which the plan is sold in`,
        );
      }
    }
  }
  return null;
}

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState, PlanRefusalCode> = {
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: decidePlan,
};
