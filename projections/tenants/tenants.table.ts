import type { Address } from '../../domain/tenant/tenant.ts';

export interface TenantRow {
  tenant_id: string;
  legal_name: string;
  tax_id: string;
  trade_register_number: string;
  address: Address;
  country: string;
  billing_currency: string;
  billing_email: string;
  billing_phone: string;
  time_zone: string;
  tax_exempt: boolean;
  tax_exemption_note: string | null;
  payment_terms_days: number;
  preferred_language: string;
  status: 'active' | 'suspended' | 'closed';
  registered_at: Date;
  suspended_at: Date | null;
  suspension_reason: string | null;
  closed_at: Date | null;
  closure_reason: string | null;
  position: string;
}

export interface TenantsTables {
  rm_tenants: TenantRow;
}
