import { type Kysely, sql } from 'kysely';
import {
  afterKey,
  decodeCursor,
  likePattern,
  type Page,
  type PageRequest,
  pageLimit,
  toPage,
} from '../pagination.ts';
import type { TenantRow, TenantsTables } from './tenants.table.ts';

export interface TenantFilter {
  readonly status?: TenantRow['status'];
  readonly country?: string;
  /** Matches the start of the legal name, any case. */
  readonly search?: string;
}

export async function getTenant(db: Kysely<TenantsTables>, tenantId: string): Promise<TenantRow | null> {
  return (
    (await db.selectFrom('rm_tenants').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()) ??
    null
  );
}

/** Tenants by legal name (case-insensitive), then id. */
export async function listTenants(
  db: Kysely<TenantsTables>,
  filter: TenantFilter = {},
  page: PageRequest = {},
): Promise<Page<TenantRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  let query = db
    .selectFrom('rm_tenants')
    .selectAll()
    .select((eb) => eb.fn('lower', ['legal_name']).as('sort_name'));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.country !== undefined) query = query.where('country', '=', filter.country);
  if (filter.search !== undefined && filter.search !== '') {
    query = query.where((eb) =>
      eb(eb.fn('lower', ['legal_name']), 'like', likePattern(filter.search!.toLowerCase(), 'prefix')),
    );
  }
  if (after !== null) query = query.where(afterKey([sql`lower(legal_name)`, 'tenant_id'], after, 'asc'));
  const rows = await query
    .orderBy('sort_name')
    .orderBy('tenant_id')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (r) => [r.sort_name as string, r.tenant_id],
    ({ sort_name: _, ...row }) => row as TenantRow,
  );
}
