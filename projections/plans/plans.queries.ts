import type { Kysely } from 'kysely';
import type { PlanRow, PlansTables, PlanVersionRow } from './plans.table.ts';

/** Named limit: the catalog is small, but a read is still bounded. */
export const plansListedMax = 500;

export async function listPlans(
  db: Kysely<PlansTables>,
  filter: { readonly status?: PlanRow['status'] } = {},
): Promise<PlanRow[]> {
  let query = db.selectFrom('rm_plans').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.orderBy('plan_code').limit(plansListedMax).execute();
}

export async function getPlan(db: Kysely<PlansTables>, planCode: string): Promise<PlanRow | null> {
  return (
    (await db.selectFrom('rm_plans').selectAll().where('plan_code', '=', planCode).executeTakeFirst()) ?? null
  );
}

export async function getPlanVersions(db: Kysely<PlansTables>, planCode: string): Promise<PlanVersionRow[]> {
  return db
    .selectFrom('rm_plan_versions')
    .selectAll()
    .where('plan_code', '=', planCode)
    .orderBy('version')
    .limit(plansListedMax)
    .execute();
}
