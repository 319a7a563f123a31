// Proves the invoice list's pages are index range scans, not sorts of the table: the exact SQL
// `listInvoices` sends for both sorts, for all tenants and for one, first page and next page, is
// planned (EXPLAIN, after ANALYZE on 25 000 rows, one tenant holding 5 000) on the
// 2026_11_25_1750 expression indexes with no Sort node; and that the summary rows keep legal dates
// as calendar text and money exact, nulls included, page after page.
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InvoiceSort, listInvoices } from '../../../projections/invoices/invoices.queries.ts';
import { freshPostgresDatabase, type TestDatabase } from '../../../test/support/db.ts';

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

describe('invoice list summaries', () => {
  it('keep legal dates as text, money exact beyond 2^53 and nulls as null, on every page', async () => {
    await database.pool.query(
      `INSERT INTO rm_invoices (invoice_id, tenant_id, currency, country, payment_terms_days, state, drafted_at, position)
       VALUES ('inv-draft', 'tenant-x', 'XOF', 'SN', 30, 'draft', '2026-03-04T05:06:07.123456Z', 'x-1')`,
    );
    await database.pool.query(
      `INSERT INTO rm_invoices (invoice_id, tenant_id, currency, country, payment_terms_days, state, number,
         issued_on, due_on, tax_rate_percent, subtotal_minor, tax_minor, total_minor, amount_due_minor,
         paid_minor, written_off_minor, lines_count, overdue_on, written_off_on, write_off_reason, drafted_at,
         issued_at, position)
       VALUES ('inv-wo', 'tenant-x', 'XOF', 'SN', 30, 'written_off', 'F-x-1', '2026-01-10', '2026-02-09', '0',
         9007199254740993, 0, 9007199254740993, 0, 7, 9007199254740986, 2, '2026-02-10', '2026-06-30',
         'insolvable', '2026-01-09T10:00:00Z', '2026-01-10T10:00:00.5Z', 'x-3')`,
    );
    const mine = await listInvoices(database.db, { tenantId: 'tenant-x' }, 'due_asc', { limit: 1 });
    expect(mine.items).toEqual([
      expect.objectContaining({
        invoice_id: 'inv-wo',
        status: 'written_off',
        issued_on: '2026-01-10',
        due_on: '2026-02-09',
        overdue_on: '2026-02-10',
        paid_on: null,
        total_minor: '9007199254740993',
        written_off_minor: '9007199254740986',
        amount_due_minor: '0',
      }),
    ]);
    const next = await listInvoices(database.db, { tenantId: 'tenant-x' }, 'due_asc', {
      limit: 1,
      cursor: mine.nextCursor,
    });
    expect(next.items).toEqual([
      expect.objectContaining({ invoice_id: 'inv-draft', number: null, issued_on: null, total_minor: null }),
    ]);
    expect(next.nextCursor).toBeNull();
  });
});
