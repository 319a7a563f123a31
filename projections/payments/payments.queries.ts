import { type Kysely, sql } from 'kysely';
import { afterKey, decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../pagination.ts';
import type { PaymentAllocationRow, PaymentRow, PaymentStatus, PaymentsTables } from './payments.table.ts';

export interface PaymentFilter {
  readonly tenantId?: string;
  readonly status?: readonly PaymentStatus[];
  readonly provider?: string;
  /** Finds a payment by the provider's transaction id or our client reference. */
  readonly reference?: string;
}

const paymentColumns = sql`p.*, to_char(p.received_on, 'YYYY-MM-DD') AS received_on, p.started_at::text AS sort_at`;

/** Newest first. */
export async function listPayments(
  db: Kysely<PaymentsTables>,
  filter: PaymentFilter = {},
  page: PageRequest = {},
): Promise<Page<PaymentRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const conditions = [sql`true`];
  if (filter.tenantId !== undefined) conditions.push(sql`p.tenant_id = ${filter.tenantId}`);
  if (filter.status !== undefined && filter.status.length > 0)
    conditions.push(sql`p.status = ANY(${[...filter.status]}::text[])`);
  if (filter.provider !== undefined) conditions.push(sql`p.provider = ${filter.provider}`);
  if (filter.reference !== undefined) {
    conditions.push(
      sql`(p.provider_transaction_id = ${filter.reference} OR p.client_reference = ${filter.reference})`,
    );
  }
  if (after !== null)
    conditions.push(afterKey([sql`p.started_at`, sql`p.payment_id`], [after[0]!, after[1]!], 'desc'));
  const { rows } = await sql<PaymentRow & { sort_at: string }>`
    SELECT ${paymentColumns} FROM rm_payments AS p WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY p.started_at DESC, p.payment_id DESC LIMIT ${limit + 1}`.execute(db);
  return toPage(
    rows,
    limit,
    (r) => [r.sort_at, r.payment_id],
    ({ sort_at: _, ...row }) => row as PaymentRow,
  );
}

export async function getPayment(db: Kysely<PaymentsTables>, paymentId: string): Promise<PaymentRow | null> {
  const { rows } =
    await sql<PaymentRow>`SELECT ${paymentColumns} FROM rm_payments AS p WHERE p.payment_id = ${paymentId}`.execute(
      db,
    );
  const row = rows[0] as (PaymentRow & { sort_at?: string }) | undefined;
  if (row === undefined) return null;
  const { sort_at: _, ...payment } = row;
  return payment as PaymentRow;
}

/** Named limit: a payment names at most 100 invoices, an invoice takes at most 100 payments. */
const allocationsListedMax = 100;

export async function listAllocations(
  db: Kysely<PaymentsTables>,
  by: { readonly paymentId: string } | { readonly invoiceId: string },
): Promise<PaymentAllocationRow[]> {
  const where = 'paymentId' in by ? sql`a.payment_id = ${by.paymentId}` : sql`a.invoice_id = ${by.invoiceId}`;
  const { rows } = await sql<PaymentAllocationRow>`
    SELECT a.*, to_char(a.applied_on, 'YYYY-MM-DD') AS applied_on FROM rm_payment_allocations AS a
     WHERE ${where} ORDER BY a.position LIMIT ${allocationsListedMax}`.execute(db);
  return rows;
}
