export type PaymentStatus = 'pending' | 'failed' | 'flagged' | 'succeeded' | 'refunded';

export interface PaymentRow {
  payment_id: string;
  tenant_id: string;
  /** An online provider, or `manual` for money an accountant recorded. */
  provider: string;
  method: string | null;
  status: PaymentStatus;
  currency: string;
  expected_minor: string;
  paid_minor: string;
  refunded_minor: string;
  allocated_minor: string;
  /** From the allocation plan: what the payment left on the customer's credit balance. */
  credit_to_balance_minor: string;
  invoice_ids: string[];
  provider_session_id: string | null;
  client_reference: string | null;
  provider_transaction_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  review_reason: string | null;
  received_minor: string | null;
  refunds_count: number;
  received_on: string | null;
  started_at: Date;
  settled_at: Date | null;
  failed_at: Date | null;
  position: string;
}

export interface PaymentAllocationRow {
  payment_id: string;
  invoice_id: string;
  tenant_id: string | null;
  currency: string;
  amount_received_minor: string;
  amount_applied_minor: string;
  excess_minor: string;
  amount_due_after_minor: string;
  applied_on: string;
  applied_at: Date;
  position: string;
}

export interface PaymentsTables {
  rm_payments: PaymentRow;
  rm_payment_allocations: PaymentAllocationRow;
}
