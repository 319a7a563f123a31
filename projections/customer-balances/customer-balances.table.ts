/** What a tenant owes (open invoice balances) and what we owe it (credit balance), with the totals behind them. */
export interface CustomerBalanceRow {
  tenant_id: string;
  currency: string;
  invoiced_minor: string;
  paid_minor: string;
  credited_minor: string;
  written_off_minor: string;
  /** The sum of open invoice balances: equals receivables in the ledger (invariant 4). */
  receivable_minor: string;
  credit_balance_minor: string;
  open_invoices: number;
  oldest_due_on: string | null;
}

/** Per invoice, what the balance projection needs to sum per tenant. */
export interface BalanceInvoiceRow {
  invoice_id: string;
  tenant_id: string;
  currency: string;
  issued: boolean;
  total_minor: string;
  amount_due_minor: string;
  paid_minor: string;
  credited_minor: string;
  written_off_minor: string;
  due_on: string | null;
}

export interface CustomerBalancesTables {
  rm_customer_balances: CustomerBalanceRow;
  rm_balance_invoices: BalanceInvoiceRow;
}
