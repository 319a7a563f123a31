import type { PlanEvent } from '../../domain/catalog/plan.ts';
import { assertNever } from '../../domain/shared/decider.ts';
import { patch, type Projection, upsert } from '../runtime/projection.ts';

/** The catalog: each plan with its latest terms, and every version it was ever sold at. */
export const plansProjection: Projection = {
  name: 'plans',
  version: 1,
  tables: [
    { name: 'rm_plans', key: ['plan_code'] },
    { name: 'rm_plan_versions', key: ['plan_code', 'version'] },
  ],
  eventTypes: ['PlanPublished', 'PlanVersionPublished', 'PlanRetired'],
  evolve(recorded) {
    const event = { type: recorded.type, data: recorded.data } as PlanEvent;
    const position = recorded.position;
    switch (event.type) {
      case 'PlanPublished':
      case 'PlanVersionPublished': {
        const { planCode, version, terms, publishedAt } = event.data;
        const shared = {
          plan_code: planCode,
          name: terms.name,
          pricing: terms.pricing,
          trial_days: terms.trialDays,
          meters: terms.meters,
        };
        return [
          upsert('rm_plan_versions', { ...shared, version, published_at: publishedAt }),
          event.type === 'PlanPublished'
            ? upsert('rm_plans', {
                ...shared,
                status: 'published',
                latest_version: version,
                published_at: publishedAt,
                retired_at: null,
                position,
              })
            : patch(
                'rm_plans',
                { plan_code: planCode },
                { set: { ...shared, latest_version: version, position } },
              ),
        ];
      }
      case 'PlanRetired':
        return [
          patch(
            'rm_plans',
            { plan_code: event.data.planCode },
            {
              set: { status: 'retired', retired_at: event.data.retiredAt, position },
            },
          ),
        ];
      default:
        return assertNever(event, 'plan event');
    }
  },
};
