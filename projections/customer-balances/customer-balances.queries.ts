import { type Kysely, sql } from 'kysely';
import { afterKey, decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../pagination.ts';
import type { CustomerBalanceRow, CustomerBalancesTables } from './customer-balances.table.ts';

const columns = sql`b.*, to_char(b.oldest_due_on, 'YYYY-MM-DD') AS oldest_due_on`;

export async function getCustomerBalance(
  db: Kysely<CustomerBalancesTables>,
  tenantId: string,
): Promise<CustomerBalanceRow | null> {
  const { rows } =
    await sql<CustomerBalanceRow>`SELECT ${columns} FROM rm_customer_balances AS b WHERE b.tenant_id = ${tenantId}`.execute(
      db,
    );
  return rows[0] ?? null;
}

/** Tenants by what they owe, largest first (the overdue accounts screen). */
export async function listReceivables(
  db: Kysely<CustomerBalancesTables>,
  page: PageRequest = {},
): Promise<Page<CustomerBalanceRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const conditions = [sql`b.receivable_minor > 0`];
  if (after !== null) conditions.push(afterKey([sql`b.receivable_minor`, sql`b.tenant_id`], after, 'desc'));
  const { rows } = await sql<CustomerBalanceRow>`
    SELECT ${columns} FROM rm_customer_balances AS b WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY b.receivable_minor DESC, b.tenant_id DESC LIMIT ${limit + 1}`.execute(db);
  return toPage(rows, limit, (r) => [String(r.receivable_minor), r.tenant_id]);
}
