import type { FactorContribution, RiskBand } from '../../domain/risk/index.ts';

/** A tenant's overdue risk: the score, its band, and each factor with what was observed. */
export interface OverdueRiskRow {
  tenant_id: string;
  as_of: string;
  currency: string;
  amount_due_minor: string;
  score: number;
  band: RiskBand;
  model_version: number;
  factors: FactorContribution[];
  position: string;
}

export interface RiskInvoiceRow {
  invoice_id: string;
  tenant_id: string;
  currency: string;
  state: string;
  total_minor: string | null;
  amount_due_minor: string;
  issued_on: string | null;
  due_on: string | null;
  paid_on: string | null;
}

export interface OverdueRiskTables {
  rm_overdue_risk: OverdueRiskRow;
  overdue_risk_daily: OverdueRiskRow;
  rm_risk_invoices: RiskInvoiceRow;
  rm_risk_tenants: { tenant_id: string; customer_since: string };
  /** One row per reminder: `stage:<n>` for the schedule's, `operator:<event id>` for an operator's. */
  rm_risk_reminders: {
    invoice_id: string;
    reminder_key: string;
    stage: number | null;
    tenant_id: string;
    sent_on: string;
  };
  rm_risk_payment_failures: { payment_id: string; tenant_id: string; failed_on: string };
}
