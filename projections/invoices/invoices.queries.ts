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
import type {
  CreditNoteRow,
  InvoiceLineRow,
  InvoiceRow,
  InvoiceStatus,
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

export async function listInvoices(
  db: Kysely<InvoicesTables>,
  filter: InvoiceFilter = {},
  sort: InvoiceSort = 'issued_desc',
  page: PageRequest = {},
): Promise<Page<InvoiceRow>> {
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
      ? [sql`coalesce(i.issued_on, '0001-01-01'::date)`, sql`i.invoice_id`]
      : [sql`coalesce(i.due_on, '9999-12-31'::date)`, sql`i.invoice_id`];
  if (after !== null)
    conditions.push(afterKey(keyColumns, [after[0]!, after[1]!], sort === 'issued_desc' ? 'desc' : 'asc'));
  const direction = sort === 'issued_desc' ? sql`DESC` : sql`ASC`;
  const { rows } = await sql<InvoiceRow & { sort_date: string }>`
    SELECT ${invoiceColumns}, to_char(${keyColumns[0]}, 'YYYY-MM-DD') AS sort_date
      FROM rm_invoices AS i
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY ${keyColumns[0]} ${direction}, i.invoice_id ${direction}
     LIMIT ${limit + 1}`.execute(db);
  return toPage(
    rows,
    limit,
    (r) => [r.sort_date, r.invoice_id],
    ({ sort_date: _, ...row }) => row as InvoiceRow,
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
