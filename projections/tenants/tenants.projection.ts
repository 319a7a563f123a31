import type { TenantEvent } from '../../domain/tenant/tenant.ts';
import { assertNever } from '../../domain/shared/decider.ts';
import { patch, type Projection, type Row, upsert } from '../runtime/projection.ts';

const table = 'rm_tenants';

/** Event field → column, for the details a tenant can update. */
const columnOf = {
  legalName: 'legal_name',
  taxId: 'tax_id',
  tradeRegisterNumber: 'trade_register_number',
  address: 'address',
  country: 'country',
  billingEmail: 'billing_email',
  billingPhone: 'billing_phone',
  timeZone: 'time_zone',
  taxExempt: 'tax_exempt',
  taxExemptionNote: 'tax_exemption_note',
  paymentTermsDays: 'payment_terms_days',
  preferredLanguage: 'preferred_language',
} as const;

export const tenantsProjection: Projection = {
  name: 'tenants',
  version: 1,
  tables: [{ name: table, key: ['tenant_id'] }],
  eventTypes: [
    'TenantRegistered',
    'TenantDetailsUpdated',
    'TenantSuspended',
    'TenantReactivated',
    'TenantClosed',
  ],
  evolve(recorded) {
    const event = { type: recorded.type, data: recorded.data } as TenantEvent;
    const key = { tenant_id: event.data.tenantId };
    const position = recorded.position;
    switch (event.type) {
      case 'TenantRegistered': {
        const d = event.data.details;
        return [
          upsert(table, {
            tenant_id: event.data.tenantId,
            legal_name: d.legalName,
            tax_id: d.taxId,
            trade_register_number: d.tradeRegisterNumber,
            address: d.address,
            country: d.country,
            billing_currency: d.billingCurrency,
            billing_email: d.billingEmail,
            billing_phone: d.billingPhone,
            time_zone: d.timeZone,
            tax_exempt: d.taxExempt,
            tax_exemption_note: d.taxExemptionNote,
            payment_terms_days: d.paymentTermsDays,
            preferred_language: d.preferredLanguage,
            status: 'active',
            registered_at: event.data.registeredAt,
            suspended_at: null,
            suspension_reason: null,
            closed_at: null,
            closure_reason: null,
            position,
          }),
        ];
      }
      case 'TenantDetailsUpdated': {
        const set: Record<string, Row[string]> = { position };
        for (const [field, value] of Object.entries(event.data.changes)) {
          const column = columnOf[field as keyof typeof columnOf];
          if (column !== undefined && value !== undefined) set[column] = value as Row[string];
        }
        return [patch(table, key, { set })];
      }
      case 'TenantSuspended':
        return [
          patch(table, key, {
            set: {
              status: 'suspended',
              suspended_at: event.data.suspendedAt,
              suspension_reason: event.data.reason,
              position,
            },
          }),
        ];
      case 'TenantReactivated':
        return [
          patch(table, key, {
            set: { status: 'active', suspended_at: null, suspension_reason: null, position },
          }),
        ];
      case 'TenantClosed':
        return [
          patch(table, key, {
            set: {
              status: 'closed',
              closed_at: event.data.closedAt,
              closure_reason: event.data.reason,
              position,
            },
          }),
        ];
      default:
        return assertNever(event, 'tenant event');
    }
  },
};
