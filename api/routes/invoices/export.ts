import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { tenantScope } from '../../auth/tenant-guard.ts';
import { withProblems } from '../../problems.ts';
import { csvOf } from '../../read-models.ts';
import { idSchema } from '../../schemas.ts';
import { amountCell, type CsvPage, exportPageSize, sendCsv, textCell } from '../payments/csv.ts';
import { csvResponse, periodInOrder, periodQuery } from '../payments/export.ts';

/** The statuses an issued invoice can have; drafts and voided drafts have no issue date to export. */
const issuedStatuses = ['issued', 'partially_paid', 'overdue', 'paid', 'credited', 'written_off'] as const;

export interface InvoiceExportFilter {
  readonly tenantId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly status?: readonly string[];
}

interface InvoiceExportRow {
  issued_on: string;
  invoice_id: string;
  number: string | null;
  tenant_id: string;
  legal_name: string | null;
  status: string;
  due_on: string | null;
  paid_on: string | null;
  currency: string;
  subtotal_minor: string | null;
  tax_minor: string | null;
  total_minor: string | null;
  paid_minor: string;
  customer_credit_applied_minor: string;
  credited_total_minor: string;
  written_off_minor: string;
  amount_due_minor: string;
}

/**
 * One keyset page of the invoices export in issue-date order: `(issued_on, invoice_id)` is what
 * rm_invoices_issued and rm_invoices_tenant index, so each page is an index range scan.
 */
export async function invoiceExportPage(
  // biome-ignore lint/suspicious/noExplicitAny: the read models are queried with raw SQL.
  db: Kysely<any>,
  filter: InvoiceExportFilter,
  after: readonly string[] | null,
  limit = exportPageSize,
): Promise<CsvPage<InvoiceExportRow>> {
  const conditions = [sql`i.issued_on IS NOT NULL`];
  if (filter.tenantId !== undefined) conditions.push(sql`i.tenant_id = ${filter.tenantId}`);
  if (filter.from !== undefined) conditions.push(sql`i.issued_on >= ${filter.from}::date`);
  if (filter.to !== undefined) conditions.push(sql`i.issued_on <= ${filter.to}::date`);
  if (filter.status !== undefined && filter.status.length > 0)
    conditions.push(sql`i.status = ANY(${[...filter.status]}::text[])`);
  if (after !== null) conditions.push(sql`(i.issued_on, i.invoice_id) > (${after[0]}::date, ${after[1]})`);
  const { rows } = await sql<InvoiceExportRow>`
    SELECT to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on, i.invoice_id, i.number, i.tenant_id,
           t.legal_name, i.status, to_char(i.due_on, 'YYYY-MM-DD') AS due_on,
           to_char(i.paid_on, 'YYYY-MM-DD') AS paid_on, i.currency,
           i.subtotal_minor::text AS subtotal_minor, i.tax_minor::text AS tax_minor,
           i.total_minor::text AS total_minor, i.paid_minor::text AS paid_minor,
           i.customer_credit_applied_minor::text AS customer_credit_applied_minor,
           i.credited_total_minor::text AS credited_total_minor,
           i.written_off_minor::text AS written_off_minor, i.amount_due_minor::text AS amount_due_minor
      FROM rm_invoices AS i LEFT JOIN rm_tenants AS t ON t.tenant_id = i.tenant_id
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY i.issued_on, i.invoice_id
     LIMIT ${limit + 1}`.execute(db);
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    rows: kept,
    next: rows.length > limit && last !== undefined ? [last.issued_on, last.invoice_id] : null,
  };
}

export const invoiceExportHeader = [
  'issued_on',
  'number',
  'invoice_id',
  'tenant_id',
  'tenant_name',
  'status',
  'due_on',
  'paid_on',
  'currency',
  'subtotal',
  'tax',
  'total',
  'paid',
  'customer_credit_applied',
  'credited',
  'written_off',
  'amount_due',
] as const;

function invoiceLine(r: InvoiceExportRow): string[] {
  return [
    r.issued_on,
    textCell(r.number),
    textCell(r.invoice_id),
    textCell(r.tenant_id),
    textCell(r.legal_name),
    textCell(r.status),
    r.due_on ?? '',
    r.paid_on ?? '',
    textCell(r.currency),
    amountCell(r.subtotal_minor, r.currency),
    amountCell(r.tax_minor, r.currency),
    amountCell(r.total_minor, r.currency),
    amountCell(r.paid_minor, r.currency),
    amountCell(r.customer_credit_applied_minor, r.currency),
    amountCell(r.credited_total_minor, r.currency),
    amountCell(r.written_off_minor, r.currency),
    amountCell(r.amount_due_minor, r.currency),
  ];
}

/** `GET /api/v1/invoices/export.csv`: issued invoices matching the filters, oldest issue date first. */
export const invoiceExportRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  app.get(
    '/api/v1/invoices/export.csv',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags: ['invoices', 'exports'],
        summary:
          'Issued invoices as CSV (amounts in major units with their currency), filtered by issue date, status and tenant',
        querystring: z
          .object({
            ...periodQuery,
            tenantId: idSchema.optional(),
            status: csvOf([...issuedStatuses]),
          })
          .refine(periodInOrder, { message: 'from is after to', path: ['to'] }),
        response: withProblems({ 200: csvResponse }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const filter: InvoiceExportFilter = {
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.status === undefined ? {} : { status: q.status }),
      };
      const today = now().toISOString().slice(0, 10);
      const filename = ['invoices', tenantId, q.from ?? 'start', q.to ?? today]
        .filter((part) => part !== undefined)
        .join('_');
      return sendCsv(reply, {
        filename: `${filename}.csv`,
        header: invoiceExportHeader,
        line: invoiceLine,
        page: (after) => invoiceExportPage(ledger.db, filter, after),
      });
    },
  );
};
