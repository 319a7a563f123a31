// Proves the invoice list's pages are index range scans, not sorts of the table: the exact SQL
// `listInvoices` sends for both sorts, for all tenants and for one, first page and next page, is
// planned (EXPLAIN, after ANALYZE on 25 000 rows, one tenant holding 5 000) on the
// 2026_11_25_1750 expression indexes with no Sort node; and that the list's fast row mapper
// answers what the generic one does.
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InvoiceSort, listInvoices } from '../../../projections/invoices/invoices.queries.ts';
import { freshPostgresDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { rowJson } from '../../read-models.ts';
import { invoiceRowJson } from './row-json.ts';

let database: TestDatabase;
let captured: { sql: string; parameters: readonly unknown[] }[] = [];
// biome-ignore lint/suspicious/noExplicitAny: raw SQL against the read-model tables.
let logged: Kysely<any>;

beforeAll(async () => {
  database = await freshPostgresDatabase();
  await database.pool.query(
    `INSERT INTO rm_invoices (invoice_id, tenant_id, currency, country, payment_terms_days, state, number,
       issued_on, due_on, tax_rate_percent, subtotal_minor, tax_minor, total_minor, amount_due_minor,
       paid_minor, lines_count, drafted_at, issued_at, position)
     SELECT 'inv-' || t || '-' || i, 'tenant-' || t, 'XOF', 'SN', 15, 'issued', 'F-' || t || '-' || i,
            d, d + 15, '18', 45000, 8100, 53100, 53100, 0, 1, d::timestamptz, d::timestamptz, t || '-' || i
       FROM generate_series(1, 2000) AS t, generate_series(1, 10) AS i,
            LATERAL (SELECT DATE '2026-01-01' + ((t * 7 + i * 31) % 330) AS d) AS days`,
  );
  // One large tenant: for a tenant with ten invoices any plan is cheap, so the tenant indexes are
  // checked where they matter.
  await database.pool.query(
    `INSERT INTO rm_invoices (invoice_id, tenant_id, currency, country, payment_terms_days, state, number,
       issued_on, due_on, tax_rate_percent, subtotal_minor, tax_minor, total_minor, amount_due_minor,
       paid_minor, lines_count, drafted_at, issued_at, position)
     SELECT 'inv-big-' || i, 'tenant-big', 'XOF', 'SN', 15, 'issued', 'F-big-' || i, d, d + 15, '18',
            45000, 8100, 53100, 53100, 0, 1, d::timestamptz, d::timestamptz, 'big-' || i
       FROM generate_series(1, 5000) AS i, LATERAL (SELECT DATE '2026-01-01' + (i * 31 % 330) AS d) AS days`,
  );
  await database.pool.query('ANALYZE rm_invoices');
  logged = new Kysely({
    dialect: new PostgresDialect({ pool: database.pool as never }),
    log: (event) => {
      captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
});
afterAll(async () => {
  await database.close();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

async function planOf(sort: InvoiceSort, tenantId: string | undefined, secondPage: boolean) {
  captured = [];
  const filter = tenantId === undefined ? {} : { tenantId };
  const first = await listInvoices(logged, filter, sort, { limit: 50 });
  if (secondPage) await listInvoices(logged, filter, sort, { limit: 50, cursor: first.nextCursor });
  const query = captured.at(-1)!;
  const { rows } = await database.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) ${query.sql}`,
    [...query.parameters],
  );
  return nodes(rows[0]!['QUERY PLAN'][0].Plan);
}

describe('invoice list plans', () => {
  it.each([
    ['issued_desc', undefined, 'rm_invoices_list_issued'],
    ['issued_desc', 'tenant-big', 'rm_invoices_list_tenant_issued'],
    ['due_asc', undefined, 'rm_invoices_list_due'],
    ['due_asc', 'tenant-big', 'rm_invoices_list_tenant_due'],
  ] as const)('%s for tenant %s reads %s without sorting', async (sort, tenantId, index) => {
    for (const secondPage of [false, true]) {
      const plan = await planOf(sort, tenantId, secondPage);
      expect(plan.map((n) => n['Index Name']).filter(Boolean)).toContain(index);
      expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
    }
  });
});

describe('invoice list rows as JSON', () => {
  it('gives exactly what the generic row mapper gives', async () => {
    const page = await listInvoices(database.db, {}, 'issued_desc', { limit: 50 });
    expect(page.items).toHaveLength(50);
    for (const row of page.items) expect(invoiceRowJson(row)).toEqual(rowJson(row));
  });
});
