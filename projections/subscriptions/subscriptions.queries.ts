import { type Kysely, sql } from 'kysely';
import { afterKey, decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../pagination.ts';
import type { SubscriptionRow, SubscriptionStatus, SubscriptionsTables } from './subscriptions.table.ts';

const columns = sql`s.*, to_char(s.started_on, 'YYYY-MM-DD') AS started_on,
  to_char(s.trial_ends_on, 'YYYY-MM-DD') AS trial_ends_on, to_char(s.converted_on, 'YYYY-MM-DD') AS converted_on,
  to_char(s.period_start, 'YYYY-MM-DD') AS period_start, to_char(s.period_end, 'YYYY-MM-DD') AS period_end,
  to_char(s.cancellation_effective_on, 'YYYY-MM-DD') AS cancellation_effective_on,
  to_char(s.ended_on, 'YYYY-MM-DD') AS ended_on`;

export interface SubscriptionFilter {
  readonly tenantId?: string;
  readonly status?: readonly SubscriptionStatus[];
  readonly planCode?: string;
}

/** Newest first. */
export async function listSubscriptions(
  db: Kysely<SubscriptionsTables>,
  filter: SubscriptionFilter = {},
  page: PageRequest = {},
): Promise<Page<SubscriptionRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const conditions = [sql`true`];
  if (filter.tenantId !== undefined) conditions.push(sql`s.tenant_id = ${filter.tenantId}`);
  if (filter.status !== undefined && filter.status.length > 0)
    conditions.push(sql`s.status = ANY(${[...filter.status]}::text[])`);
  if (filter.planCode !== undefined) conditions.push(sql`s.plan_code = ${filter.planCode}`);
  if (after !== null) conditions.push(afterKey([sql`s.started_on`, sql`s.subscription_id`], after, 'desc'));
  const { rows } = await sql<SubscriptionRow>`
    SELECT ${columns} FROM rm_subscriptions AS s WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY s.started_on DESC, s.subscription_id DESC LIMIT ${limit + 1}`.execute(db);
  return toPage(rows, limit, (r) => [r.started_on, r.subscription_id]);
}

export async function getSubscription(
  db: Kysely<SubscriptionsTables>,
  subscriptionId: string,
): Promise<SubscriptionRow | null> {
  const { rows } =
    await sql<SubscriptionRow>`SELECT ${columns} FROM rm_subscriptions AS s WHERE s.subscription_id = ${subscriptionId}`.execute(
      db,
    );
  return rows[0] ?? null;
}
