import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the invoice list's two sorts (`projections/invoices/invoices.queries.ts`): it orders
 * by `coalesce(issued_on, '0001-01-01')` DESC or `coalesce(due_on, '9999-12-31')` ASC, then
 * invoice_id, so that drafts (no dates) still have a place in the order. A plain index on
 * issued_on cannot serve an ORDER BY on that expression, so every page sorted the whole table
 * (≈100 ms at 100 000 rows). These expression indexes match the ORDER BY and the keyset condition
 * exactly, for all tenants and for one tenant (tenant_id first), so a page is an index range scan
 * that stops after limit + 1 rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX rm_invoices_list_issued
      ON rm_invoices ((coalesce(issued_on, '0001-01-01'::date)) DESC, invoice_id DESC);
    CREATE INDEX rm_invoices_list_tenant_issued
      ON rm_invoices (tenant_id, (coalesce(issued_on, '0001-01-01'::date)) DESC, invoice_id DESC);
    CREATE INDEX rm_invoices_list_due
      ON rm_invoices ((coalesce(due_on, '9999-12-31'::date)), invoice_id);
    CREATE INDEX rm_invoices_list_tenant_due
      ON rm_invoices (tenant_id, (coalesce(due_on, '9999-12-31'::date)), invoice_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX rm_invoices_list_issued, rm_invoices_list_tenant_issued, rm_invoices_list_due,
      rm_invoices_list_tenant_due;
  `.execute(db);
}
