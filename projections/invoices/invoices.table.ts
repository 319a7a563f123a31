/**
 * Invoices with their lines, and credit notes. Money columns are bigint minor units, read back as
 * strings; legal dates are `date` columns read back as `YYYY-MM-DD` by the queries.
 */
export type InvoiceStatus =
  | 'draft'
  | 'issuing'
  | 'voided'
  | 'issued'
  | 'partially_paid'
  | 'overdue'
  | 'paid'
  | 'credited'
  | 'written_off';

export interface InvoiceRow {
  invoice_id: string;
  tenant_id: string;
  currency: string;
  country: string;
  payment_terms_days: number;
  /** The lifecycle step the events set; `status` is derived from it and the amounts. */
  state: 'draft' | 'issuing' | 'voided' | 'issued' | 'overdue' | 'paid' | 'written_off';
  number: string | null;
  issued_on: string | null;
  due_on: string | null;
  tax_rate_percent: string | null;
  tax_exemption_mention: string | null;
  subtotal_minor: string | null;
  tax_minor: string | null;
  total_minor: string | null;
  amount_due_minor: string;
  paid_minor: string;
  customer_credit_applied_minor: string;
  credited_total_minor: string;
  written_off_minor: string;
  lines_count: number;
  payments_count: number;
  credit_notes_count: number;
  overdue_on: string | null;
  paid_on: string | null;
  written_off_on: string | null;
  write_off_reason: string | null;
  void_reason: string | null;
  drafted_at: Date;
  issued_at: Date | null;
  voided_at: Date | null;
  position: string;
  status: InvoiceStatus;
}

/** What the invoice list reads of each invoice; the rest is on the invoice itself. */
export type InvoiceSummaryRow = Pick<
  InvoiceRow,
  | 'invoice_id'
  | 'tenant_id'
  | 'status'
  | 'number'
  | 'currency'
  | 'issued_on'
  | 'due_on'
  | 'subtotal_minor'
  | 'tax_minor'
  | 'total_minor'
  | 'paid_minor'
  | 'customer_credit_applied_minor'
  | 'credited_total_minor'
  | 'written_off_minor'
  | 'amount_due_minor'
  | 'overdue_on'
  | 'paid_on'
  | 'credit_notes_count'
>;

export interface InvoiceLineRow {
  invoice_id: string;
  line_id: string;
  line_no: string;
  kind: string;
  description: string;
  quantity: string;
  currency: string;
  unit_price_minor: string;
  amount_minor: string;
  period_from: string | null;
  period_to: string | null;
  removed: boolean;
}

export interface CreditNoteRow {
  credit_note_id: string;
  invoice_id: string;
  tenant_id: string | null;
  number: string;
  invoice_number: string;
  issued_on: string;
  reason: string;
  currency: string;
  net_minor: string;
  tax_minor: string;
  total_minor: string;
  applied_to_amount_due_minor: string;
  to_customer_balance_minor: string;
  issued_at: Date;
  position: string;
}

export interface InvoicesTables {
  rm_invoices: InvoiceRow;
  rm_invoice_lines: InvoiceLineRow;
  rm_credit_notes: CreditNoteRow;
}
