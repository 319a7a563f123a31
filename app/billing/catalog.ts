import { defaultCatalogCommands } from '../../domain/catalog/default-catalog.ts';
import { planDecider } from '../../domain/catalog/plan.decide.ts';
import type { PlanState, PlanVersion } from '../../domain/catalog/plan.ts';
import { type CommandContext, handleCommand } from '../command-handler.ts';
import { type BillingDeps, loadState, type Outcome, ok, refused, step } from './support.ts';
import { planStreamName } from '../../domain/catalog/plan.ts';

// The domain names its streams; the use cases re-export the name for their callers.
export { planStreamName };

/**
 * Publishes the default catalog (Essential, Professional, Enterprise). Idempotent twice over: the
 * same key replays, and a plan that is already published (by any key) is left as it is, so running
 * it on every start is safe.
 */
export async function publishDefaultCatalog(
  deps: BillingDeps,
  _input: Record<string, never>,
  context: CommandContext,
): Promise<Outcome<{ readonly published: string[]; readonly alreadyPublished: string[] }>> {
  const published: string[] = [];
  const alreadyPublished: string[] = [];
  for (const command of defaultCatalogCommands(context.occurredAt)) {
    const outcome = await handleCommand(
      deps.store,
      planDecider,
      planStreamName(command.planCode),
      command,
      step(context, command.planCode),
    );
    if (!outcome.ok) {
      if (outcome.refusal.code !== 'plan_already_published') return outcome;
      alreadyPublished.push(command.planCode);
    } else if (outcome.replayed) alreadyPublished.push(command.planCode);
    else published.push(command.planCode);
  }
  return ok({ published, alreadyPublished });
}

export async function loadPlan(deps: BillingDeps, planCode: string): Promise<PlanState> {
  return loadState(deps.store, planStreamName(planCode), planDecider);
}

/** The version a new sale uses: the latest of a published plan. A retired plan is not sold. */
export async function currentPlanVersion(deps: BillingDeps, planCode: string): Promise<Outcome<PlanVersion>> {
  const state = await loadPlan(deps, planCode);
  if (state.status === 'unpublished') return refused('plan_not_found', `no plan ${planCode}`, 'planCode');
  if (state.status === 'retired') return refused('plan_retired', `plan ${planCode} is retired`, 'planCode');
  const latest = state.versions.at(-1);
  if (latest === undefined) return refused('plan_not_found', `no plan ${planCode}`, 'planCode');
  return ok(latest);
}
