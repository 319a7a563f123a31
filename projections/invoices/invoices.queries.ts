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
import { preparedMarker } from '../../eventstore/sql.ts';
import type {
  CreditNoteRow,
  InvoiceLineRow,
  InvoiceRow,
  InvoiceStatus,
  InvoiceSummaryRow,
  InvoicesTables,
} from './invoices.table.ts';

export interface InvoiceFilter {
  readonly tenantId?: string;
  readonly status?: readonly InvoiceStatus[];
  /** Invoices with money still due. */
  readonly open?: boolean;
  /** Matches the start of the invoice number, e.g. `F-2026-`. */
  readonly numberPrefix?: string;
  readonly issuedFrom?: string;
  readonly issuedTo?: string;
  readonly dueBefore?: string;
}

export type InvoiceSort = 'issued_desc' | 'due_asc';

/** Legal dates leave the database as `YYYY-MM-DD` strings, never as local-time Date objects. */
const invoiceColumns = sql<InvoiceRow>`i.*, to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on,
  to_char(i.due_on, 'YYYY-MM-DD') AS due_on, to_char(i.overdue_on, 'YYYY-MM-DD') AS overdue_on,
  to_char(i.paid_on, 'YYYY-MM-DD') AS paid_on, to_char(i.written_off_on, 'YYYY-MM-DD') AS written_off_on`;

/**
 * Where drafts (no dates yet) sort: last when newest issued come first, last by due date. The
 * list's indexes (migration 2026_11_25_1750) are on exactly these expressions.
 */
const noIssueDate = '0001-01-01';
const noDueDate = '9999-12-31';

/** The WHERE and ORDER BY of one page of the invoice list. */
function invoicePage(filter: InvoiceFilter, sort: InvoiceSort, page: PageRequest) {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const conditions = [sql`true`];
  if (filter.tenantId !== undefined) conditions.push(sql`i.tenant_id = ${filter.tenantId}`);
  if (filter.status !== undefined && filter.status.length > 0)
    conditions.push(sql`i.status = ANY(${[...filter.status]}::text[])`);
  if (filter.open === true) conditions.push(sql`i.amount_due_minor > 0`);
  if (filter.numberPrefix !== undefined)
    conditions.push(sql`i.number LIKE ${likePattern(filter.numberPrefix, 'prefix')}`);
  if (filter.issuedFrom !== undefined) conditions.push(sql`i.issued_on >= ${filter.issuedFrom}::date`);
  if (filter.issuedTo !== undefined) conditions.push(sql`i.issued_on <= ${filter.issuedTo}::date`);
  if (filter.dueBefore !== undefined) conditions.push(sql`i.due_on < ${filter.dueBefore}::date`);
  const keyColumns =
    sort === 'issued_desc'
      ? [sql`coalesce(i.issued_on, ${sql.lit(noIssueDate)}::date)`, sql`i.invoice_id`]
      : [sql`coalesce(i.due_on, ${sql.lit(noDueDate)}::date)`, sql`i.invoice_id`];
  if (after !== null)
    conditions.push(afterKey(keyColumns, [after[0]!, after[1]!], sort === 'issued_desc' ? 'desc' : 'asc'));
  const direction = sort === 'issued_desc' ? sql`DESC` : sql`ASC`;
  return {
    limit,
    where: sql.join(conditions, sql` AND `),
    orderBy: sql`${keyColumns[0]} ${direction}, i.invoice_id ${direction}`,
  };
}

/**
 * The invoice list's columns: few, and no instants, so a page of 50 is small to send and cheap to
 * read (profiled with `ledger bench api`: every column and every Date parsed per row was most of a
 * list request's CPU). Legal dates leave as `YYYY-MM-DD` text.
 */
const summaryColumns = sql<InvoiceSummaryRow>`i.invoice_id, i.tenant_id, i.status, i.number, i.currency,
  to_char(i.issued_on, 'YYYY-MM-DD') AS issued_on, to_char(i.due_on, 'YYYY-MM-DD') AS due_on,
  i.subtotal_minor, i.tax_minor, i.total_minor, i.paid_minor, i.customer_credit_applied_minor,
  i.credited_total_minor, i.written_off_minor, i.amount_due_minor,
  to_char(i.overdue_on, 'YYYY-MM-DD') AS overdue_on, to_char(i.paid_on, 'YYYY-MM-DD') AS paid_on,
  i.credit_notes_count`;

export async function listInvoices(
  db: Kysely<InvoicesTables>,
  filter: InvoiceFilter = {},
  sort: InvoiceSort = 'issued_desc',
  page: PageRequest = {},
): Promise<Page<InvoiceSummaryRow>> {
  const q = invoicePage(filter, sort, page);
  // Prepared: the list is read on every page of the back office (eventstore/sql.ts).
  const { rows } = await sql<InvoiceSummaryRow>`${sql.raw(preparedMarker)}
    SELECT ${summaryColumns}
      FROM rm_invoices AS i WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ${q.limit + 1}`.execute(db);
  return toPage(rows, q.limit, (r) =>
    sort === 'issued_desc'
      ? [r.issued_on ?? noIssueDate, r.invoice_id]
      : [r.due_on ?? noDueDate, r.invoice_id],
  );
}

export interface InvoiceWithLines extends InvoiceRow {
  readonly lines: InvoiceLineRow[];
  readonly creditNotes: CreditNoteRow[];
}

export async function getInvoice(
  db: Kysely<InvoicesTables>,
  invoiceId: string,
): Promise<InvoiceWithLines | null> {
  const { rows } =
    await sql<InvoiceRow>`SELECT ${invoiceColumns} FROM rm_invoices AS i WHERE i.invoice_id = ${invoiceId}`.execute(
      db,
    );
  const invoice = rows[0];
  if (invoice === undefined) return null;
  const lines = await sql<InvoiceLineRow>`
    SELECT l.*, l.quantity::text AS quantity, to_char(l.period_from, 'YYYY-MM-DD') AS period_from,
           to_char(l.period_to, 'YYYY-MM-DD') AS period_to
      FROM rm_invoice_lines AS l WHERE l.invoice_id = ${invoiceId} AND NOT l.removed ORDER BY l.line_no`.execute(
    db,
  );
  const creditNotes = await listCreditNotes(db, { invoiceId }, { limit: 200 });
  return { ...invoice, lines: lines.rows, creditNotes: creditNotes.items };
}

export async function listCreditNotes(
  db: Kysely<InvoicesTables>,
  filter: { readonly tenantId?: string; readonly invoiceId?: string } = {},
  page: PageRequest = {},
): Promise<Page<CreditNoteRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const conditions = [sql`true`];
  if (filter.tenantId !== undefined) conditions.push(sql`c.tenant_id = ${filter.tenantId}`);
  if (filter.invoiceId !== undefined) conditions.push(sql`c.invoice_id = ${filter.invoiceId}`);
  if (after !== null) conditions.push(afterKey([sql`c.issued_on`, sql`c.credit_note_id`], after, 'desc'));
  const { rows } = await sql<CreditNoteRow>`
    SELECT c.*, to_char(c.issued_on, 'YYYY-MM-DD') AS issued_on FROM rm_credit_notes AS c
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY c.issued_on DESC, c.credit_note_id DESC LIMIT ${limit + 1}`.execute(db);
  return toPage(rows, limit, (r) => [r.issued_on, r.credit_note_id]);
}
