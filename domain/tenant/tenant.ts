import { z } from 'zod';
import { defineEvent, type EventOf } from '../events/catalog.ts';
import { type CurrencyCode, isCurrencyCode } from '../money/index.ts';
import { assertNever, InvariantViolation } from '../shared/decider.ts';

/**
 * The tenant aggregate: one stream per customer company (`tenant-<tenantId>`), holding the legal
 * and billing identity invoices are addressed to. Suspension stops the service (the entitlements
 * of every subscription say no); closing ends the account for good, and nothing is deleted.
 */

export const tenantDefaults = {
  timeZone: 'Africa/Dakar',
  paymentTermsDays: 15,
  preferredLanguage: 'fr',
  taxExempt: false,
} as const;

/** Limits, named so a reader sees them. */
export const legalNameLengthMax = 200;
export const addressLineLengthMax = 200;
export const paymentTermsDaysMax = 120;
export const emailLengthMax = 254;
export const noteLengthMax = 1000;

/**
 * Countries we bill in: the UEMOA and CEMAC members first (where the CFA francs are used), then
 * neighbours and the countries of tenants' head offices. A closed list so a typo is refused.
 */
// biome-ignore format: grouped by region on purpose
export const supportedCountries = [
  'SN', 'CI', 'ML', 'BF', 'NE', 'TG', 'BJ', 'GW',
  'CM', 'GA', 'CG', 'TD', 'CF', 'GQ',
  'GN', 'MR', 'GM', 'CV', 'SL', 'LR', 'GH', 'NG', 'MA', 'TN', 'DZ',
  'FR', 'BE', 'CH', 'CA', 'US', 'GB',
] as const;
export type CountryCode = (typeof supportedCountries)[number];

export const preferredLanguages = ['fr', 'en'] as const;
export type PreferredLanguage = (typeof preferredLanguages)[number];

export const suspensionReasons = ['non_payment', 'terms_violation', 'customer_request', 'other'] as const;
export type SuspensionReason = (typeof suspensionReasons)[number];

export const closureReasons = ['customer_request', 'non_payment', 'duplicate_account', 'other'] as const;
export type ClosureReason = (typeof closureReasons)[number];

export const addressSchema = z.object({
  line1: z.string().min(1).max(addressLineLengthMax),
  line2: z.string().min(1).max(addressLineLengthMax).nullable(),
  city: z.string().min(1).max(addressLineLengthMax),
  postalCode: z.string().min(1).max(20).nullable(),
});
export type Address = z.infer<typeof addressSchema>;

export const tenantDetailsSchema = z.object({
  legalName: z.string().min(1).max(legalNameLengthMax),
  /** The tax identifier, normalised without spaces: the NINEA in Senegal, the NCC in Côte d'Ivoire. */
  taxId: z.string().min(1).max(40),
  /** The trade register number (RCCM in OHADA countries), e.g. `SN-DKR-2020-B-12345`. */
  tradeRegisterNumber: z.string().min(1).max(40),
  address: addressSchema,
  country: z.enum(supportedCountries),
  billingCurrency: z.string().refine(isCurrencyCode),
  billingEmail: z.string().min(3).max(emailLengthMax),
  /** E.164, e.g. `+221771234567`. */
  billingPhone: z.string().min(8).max(16),
  /** An IANA zone; legal dates (issue, due, period) are calendar dates in this zone. */
  timeZone: z.string().min(1).max(64),
  taxExempt: z.boolean(),
  /** The exemption mention printed on invoices; present exactly when `taxExempt`. */
  taxExemptionNote: z.string().min(1).max(noteLengthMax).nullable(),
  paymentTermsDays: z.number().int().min(0).max(paymentTermsDaysMax),
  preferredLanguage: z.enum(preferredLanguages),
});

export type TenantDetails = Omit<z.infer<typeof tenantDetailsSchema>, 'billingCurrency'> & {
  readonly billingCurrency: CurrencyCode;
};

/** The billing currency is fixed at registration: subscriptions and open invoices are priced in it. */
export const updatableTenantFields = [
  'legalName',
  'taxId',
  'tradeRegisterNumber',
  'address',
  'country',
  'billingEmail',
  'billingPhone',
  'timeZone',
  'taxExempt',
  'taxExemptionNote',
  'paymentTermsDays',
  'preferredLanguage',
] as const satisfies readonly (keyof TenantDetails)[];
export type UpdatableTenantField = (typeof updatableTenantFields)[number];
export type TenantChanges = Partial<Pick<TenantDetails, UpdatableTenantField>>;

export const tenantStreamName = (tenantId: string): string => `tenant-${tenantId}`;

const tenantId = z.string().min(1).max(200);
const instant = z.iso.datetime({ offset: true });

export const tenantRegistered = defineEvent({
  type: 'TenantRegistered',
  version: 1,
  schema: z.object({ tenantId, details: tenantDetailsSchema, registeredAt: instant }),
});

export const tenantDetailsUpdated = defineEvent({
  type: 'TenantDetailsUpdated',
  version: 1,
  schema: z.object({
    tenantId,
    /** Only the fields whose value changed, with their new value. */
    changes: tenantDetailsSchema.omit({ billingCurrency: true }).partial(),
    updatedAt: instant,
  }),
});

export const tenantSuspended = defineEvent({
  type: 'TenantSuspended',
  version: 1,
  schema: z.object({
    tenantId,
    reason: z.enum(suspensionReasons),
    note: z.string().min(1).max(noteLengthMax).nullable(),
    suspendedAt: instant,
  }),
});

export const tenantReactivated = defineEvent({
  type: 'TenantReactivated',
  version: 1,
  schema: z.object({ tenantId, reactivatedAt: instant }),
});

export const tenantClosed = defineEvent({
  type: 'TenantClosed',
  version: 1,
  schema: z.object({
    tenantId,
    reason: z.enum(closureReasons),
    note: z.string().min(1).max(noteLengthMax).nullable(),
    closedAt: instant,
  }),
});

export const tenantEventDefinitions = [
  tenantRegistered,
  tenantDetailsUpdated,
  tenantSuspended,
  tenantReactivated,
  tenantClosed,
];

export type TenantEvent =
  | EventOf<typeof tenantRegistered>
  | EventOf<typeof tenantDetailsUpdated>
  | EventOf<typeof tenantSuspended>
  | EventOf<typeof tenantReactivated>
  | EventOf<typeof tenantClosed>;

interface TenantBase {
  readonly tenantId: string;
  readonly details: TenantDetails;
  readonly registeredAt: string;
}

export type TenantState =
  | { readonly status: 'unregistered' }
  | (TenantBase & { readonly status: 'active' })
  | (TenantBase & {
      readonly status: 'suspended';
      readonly suspendedAt: string;
      readonly suspensionReason: SuspensionReason;
    })
  | (TenantBase & {
      readonly status: 'closed';
      readonly closedAt: string;
      readonly closureReason: ClosureReason;
    });

export function initialTenantState(): TenantState {
  return { status: 'unregistered' };
}

function detailsFromEvent(details: z.infer<typeof tenantDetailsSchema>): TenantDetails {
  if (!isCurrencyCode(details.billingCurrency)) throw new InvariantViolation('stored currency unknown');
  return { ...details, billingCurrency: details.billingCurrency };
}

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantRegistered':
      return {
        status: 'active',
        tenantId: event.data.tenantId,
        details: detailsFromEvent(event.data.details),
        registeredAt: event.data.registeredAt,
      };
    case 'TenantDetailsUpdated': {
      if (state.status !== 'active' && state.status !== 'suspended') {
        throw new InvariantViolation(`TenantDetailsUpdated on a ${state.status} tenant`);
      }
      return { ...state, details: { ...state.details, ...event.data.changes } };
    }
    case 'TenantSuspended': {
      if (state.status !== 'active')
        throw new InvariantViolation(`TenantSuspended on a ${state.status} tenant`);
      return {
        status: 'suspended',
        tenantId: state.tenantId,
        details: state.details,
        registeredAt: state.registeredAt,
        suspendedAt: event.data.suspendedAt,
        suspensionReason: event.data.reason,
      };
    }
    case 'TenantReactivated': {
      if (state.status !== 'suspended')
        throw new InvariantViolation(`TenantReactivated on a ${state.status} tenant`);
      return {
        status: 'active',
        tenantId: state.tenantId,
        details: state.details,
        registeredAt: state.registeredAt,
      };
    }
    case 'TenantClosed': {
      if (state.status !== 'active' && state.status !== 'suspended') {
        throw new InvariantViolation(`TenantClosed on a ${state.status} tenant`);
      }
      return {
        status: 'closed',
        tenantId: state.tenantId,
        details: state.details,
        registeredAt: state.registeredAt,
        closedAt: event.data.closedAt,
        closureReason: event.data.reason,
      };
    }
    default:
      return assertNever(event, 'tenant event');
  }
}
