import { isCurrencyCode } from '../money/index.ts';
import {
  accept,
  assertNever,
  type Decider,
  type Decision,
  InvariantViolation,
  type Refusal,
  refuse,
} from '../shared/decider.ts';
import {
  type Address,
  addressLineLengthMax,
  type ClosureReason,
  type CountryCode,
  closureReasons,
  emailLengthMax,
  evolveTenant,
  initialTenantState,
  legalNameLengthMax,
  noteLengthMax,
  paymentTermsDaysMax,
  type PreferredLanguage,
  preferredLanguages,
  type SuspensionReason,
  supportedCountries,
  suspensionReasons,
  type TenantChanges,
  type TenantDetails,
  type TenantEvent,
  type TenantState,
  tenantDefaults,
  updatableTenantFields,
} from './tenant.ts';

/** What a registration form sends: optional fields take the tenant defaults. */
export interface TenantRegistrationInput {
  readonly legalName: string;
  readonly taxId: string;
  readonly tradeRegisterNumber: string;
  readonly address: {
    readonly line1: string;
    readonly line2?: string | null;
    readonly city: string;
    readonly postalCode?: string | null;
  };
  readonly country: string;
  readonly billingCurrency: string;
  readonly billingEmail: string;
  readonly billingPhone: string;
  readonly timeZone?: string;
  readonly taxExempt?: boolean;
  readonly taxExemptionNote?: string | null;
  readonly paymentTermsDays?: number;
  readonly preferredLanguage?: string;
}

export type RegisterTenant = {
  readonly type: 'RegisterTenant';
  readonly tenantId: string;
  readonly details: TenantRegistrationInput;
  readonly now: string;
};

export type UpdateTenantDetails = {
  readonly type: 'UpdateTenantDetails';
  readonly tenantId: string;
  readonly changes: TenantChanges;
  readonly now: string;
};

/**
 * The part of its details a tenant's own admin may change: where invoices and reminders go. The
 * legal identity, tax status and terms stay with the vendor's staff (`UpdateTenantDetails`).
 */
export interface BillingContactChanges {
  readonly billingEmail?: string;
  readonly billingPhone?: string;
  readonly address?: Address;
}

export type ChangeBillingContact = {
  readonly type: 'ChangeBillingContact';
  readonly tenantId: string;
  readonly contact: BillingContactChanges;
  readonly now: string;
};

export type SuspendTenant = {
  readonly type: 'SuspendTenant';
  readonly tenantId: string;
  readonly reason: SuspensionReason;
  readonly note: string | null;
  readonly now: string;
};

export type ReactivateTenant = {
  readonly type: 'ReactivateTenant';
  readonly tenantId: string;
  readonly now: string;
};

export type CloseTenant = {
  readonly type: 'CloseTenant';
  readonly tenantId: string;
  readonly reason: ClosureReason;
  readonly note: string | null;
  readonly now: string;
};

export type TenantCommand =
  | RegisterTenant
  | UpdateTenantDetails
  | ChangeBillingContact
  | SuspendTenant
  | ReactivateTenant
  | CloseTenant;

/** The tenant's refusals, in the order they are checked. */
export const tenantRefusalCodes = [
  'tenant_not_found',
  'tenant_already_registered',
  'tenant_closed',
  'tenant_already_suspended',
  'tenant_not_suspended',
  'tenant_field_invalid',
  'tenant_update_empty',
] as const;
export type TenantRefusalCode = (typeof tenantRefusalCodes)[number];

type TenantDecision = Decision<TenantEvent, TenantRefusalCode>;

export function decideTenant(command: TenantCommand, state: TenantState): TenantDecision {
  if (state.status !== 'unregistered' && state.tenantId !== command.tenantId) {
    throw new InvariantViolation(
      `command for tenant ${command.tenantId} folded over tenant ${state.tenantId}`,
    );
  }
  if (command.type === 'RegisterTenant') {
    if (state.status !== 'unregistered') {
      return refuse('tenant_already_registered', `tenant ${command.tenantId} is already registered`);
    }
    const checked = checkDetails(withDefaults(command.details));
    if (!checked.ok) return checked;
    return accept({
      type: 'TenantRegistered',
      data: { tenantId: command.tenantId, details: checked.details, registeredAt: command.now },
    });
  }
  if (state.status === 'unregistered') return refuse('tenant_not_found', `no tenant ${command.tenantId}`);
  if (state.status === 'closed') return refuse('tenant_closed', `tenant ${command.tenantId} is closed`);
  switch (command.type) {
    case 'UpdateTenantDetails':
      return decideDetailsChange(state, command.tenantId, command.changes, command.now);
    case 'ChangeBillingContact':
      return decideDetailsChange(state, command.tenantId, billingContactOnly(command.contact), command.now);
    case 'SuspendTenant': {
      if (state.status === 'suspended')
        return refuse('tenant_already_suspended', 'the tenant is already suspended');
      const bad = checkReason(command.reason, suspensionReasons, command.note);
      if (bad !== null) return bad;
      return accept({
        type: 'TenantSuspended',
        data: {
          tenantId: command.tenantId,
          reason: command.reason,
          note: command.note,
          suspendedAt: command.now,
        },
      });
    }
    case 'ReactivateTenant': {
      if (state.status !== 'suspended')
        return refuse('tenant_not_suspended', 'only a suspended tenant is reactivated');
      return accept({
        type: 'TenantReactivated',
        data: { tenantId: command.tenantId, reactivatedAt: command.now },
      });
    }
    case 'CloseTenant': {
      const bad = checkReason(command.reason, closureReasons, command.note);
      if (bad !== null) return bad;
      return accept({
        type: 'TenantClosed',
        data: {
          tenantId: command.tenantId,
          reason: command.reason,
          note: command.note,
          closedAt: command.now,
        },
      });
    }
    default:
      return assertNever(command, 'tenant command');
  }
}

type RegisteredTenant = Exclude<TenantState, { status: 'unregistered' }>;

/**
 * A change of details: the merged details are checked as a whole, and only the fields whose value
 * changes are recorded (`TenantDetailsUpdated`, whichever command asked).
 */
function decideDetailsChange(
  state: RegisteredTenant,
  tenantId: string,
  requested: TenantChanges,
  now: string,
): TenantDecision {
  const merged: TenantDetails = { ...state.details, ...requested };
  // Dropping the exemption drops its mention, so the form need not clear both fields.
  if (requested.taxExempt === false && requested.taxExemptionNote === undefined) {
    merged.taxExemptionNote = null;
  }
  if ('billingCurrency' in requested) {
    return refuse('tenant_field_invalid', 'the billing currency is fixed at registration', 'billingCurrency');
  }
  const checked = checkDetails({ ...merged, address: { ...merged.address } });
  if (!checked.ok) return checked;
  const changes: Record<string, unknown> = {};
  for (const field of updatableTenantFields) {
    if (!sameValue(checked.details[field], state.details[field])) {
      changes[field] = checked.details[field];
    }
  }
  if (Object.keys(changes).length === 0) return refuse('tenant_update_empty', 'nothing would change');
  return accept({
    type: 'TenantDetailsUpdated',
    data: { tenantId, changes: changes as TenantChanges, updatedAt: now },
  });
}

/**
 * Equality of two detail values by content. Key order does not count: the address folded from a
 * stored event comes back from PostgreSQL's jsonb with its keys sorted, so comparing JSON text
 * would see every address as changed.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/**
 * The contact fields of a contact change, copied one by one: whatever else a caller puts in the
 * object (a legal name slipped past the types) never reaches the details.
 */
function billingContactOnly(contact: BillingContactChanges): TenantChanges {
  return {
    ...(contact.billingEmail === undefined ? {} : { billingEmail: contact.billingEmail }),
    ...(contact.billingPhone === undefined ? {} : { billingPhone: contact.billingPhone }),
    ...(contact.address === undefined ? {} : { address: contact.address }),
  };
}

function checkReason(reason: string, allowed: readonly string[], note: string | null): FieldRefusal | null {
  if (!allowed.includes(reason))
    return refuse('tenant_field_invalid', `one of ${allowed.join(', ')}`, 'reason');
  if (note !== null && (note.trim().length === 0 || note.length > noteLengthMax)) {
    return refuse('tenant_field_invalid', `a note of 1 to ${noteLengthMax} characters, or none`, 'note');
  }
  return null;
}

function withDefaults(input: TenantRegistrationInput): Omit<
  TenantDetails,
  'billingCurrency' | 'country' | 'preferredLanguage'
> & {
  billingCurrency: string;
  country: string;
  preferredLanguage: string;
} {
  return {
    legalName: input.legalName,
    taxId: input.taxId,
    tradeRegisterNumber: input.tradeRegisterNumber,
    address: {
      line1: input.address.line1,
      line2: input.address.line2 ?? null,
      city: input.address.city,
      postalCode: input.address.postalCode ?? null,
    },
    country: input.country,
    billingCurrency: input.billingCurrency,
    billingEmail: input.billingEmail,
    billingPhone: input.billingPhone,
    timeZone: input.timeZone ?? tenantDefaults.timeZone,
    taxExempt: input.taxExempt ?? tenantDefaults.taxExempt,
    taxExemptionNote: input.taxExemptionNote ?? null,
    paymentTermsDays: input.paymentTermsDays ?? tenantDefaults.paymentTermsDays,
    preferredLanguage: input.preferredLanguage ?? tenantDefaults.preferredLanguage,
  };
}

/** The NINEA: 7 to 10 digits, optionally followed by the 3-character COFI tax code (`0012345672G3`). */
const nineaPattern = /^\d{7,10}([0-9][A-Z][0-9])?$/;
const genericTaxIdPattern = /^[A-Z0-9][A-Z0-9/-]{2,39}$/;
const tradeRegisterPattern = /^[A-Z0-9][A-Z0-9 ./-]{2,39}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const e164Pattern = /^\+[1-9]\d{6,14}$/;
const timeZonePattern = /^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/;

type FieldRefusal = { readonly ok: false; readonly refusal: Refusal<'tenant_field_invalid'> };

type Checked = { readonly ok: true; readonly details: TenantDetails } | FieldRefusal;

function fieldInvalid(field: string, message: string): Checked {
  return refuse('tenant_field_invalid', message, field);
}

function text(value: string, lengthMax: number): string | null {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed.length === 0 || trimmed.length > lengthMax ? null : trimmed;
}

/**
 * Validates and normalises tenant details field by field, in a fixed order, naming the first
 * field at fault. Identifiers are stored without the spaces, dots and dashes people type in them
 * (`+221 77 123 45 67` → `+221771234567`), so one tenant has one spelling.
 */
export function checkDetails(input: ReturnType<typeof withDefaults>): Checked {
  const legalName = text(input.legalName, legalNameLengthMax);
  if (legalName === null)
    return fieldInvalid('legalName', `a legal name of 1 to ${legalNameLengthMax} characters`);
  if (!(supportedCountries as readonly string[]).includes(input.country)) {
    return fieldInvalid('country', 'an ISO 3166 country code we bill in, e.g. SN');
  }
  const country = input.country as CountryCode;
  const taxId = input.taxId.replace(/[\s.]/g, '').toUpperCase();
  if (country === 'SN' ? !nineaPattern.test(taxId) : !genericTaxIdPattern.test(taxId)) {
    return fieldInvalid(
      'taxId',
      country === 'SN' ? 'a NINEA: 7 to 10 digits, then the COFI code' : 'a tax identifier',
    );
  }
  const tradeRegisterNumber = input.tradeRegisterNumber.trim().toUpperCase();
  if (!tradeRegisterPattern.test(tradeRegisterNumber)) {
    return fieldInvalid('tradeRegisterNumber', 'a trade register number, e.g. SN-DKR-2020-B-12345');
  }
  const line1 = text(input.address.line1, addressLineLengthMax);
  if (line1 === null) return fieldInvalid('address.line1', 'an address line');
  const line2 = input.address.line2 === null ? null : text(input.address.line2, addressLineLengthMax);
  if (input.address.line2 !== null && line2 === null) {
    return fieldInvalid('address.line2', 'an address line, or none');
  }
  const city = text(input.address.city, addressLineLengthMax);
  if (city === null) return fieldInvalid('address.city', 'a city');
  const postalCode = input.address.postalCode === null ? null : text(input.address.postalCode, 20);
  if (input.address.postalCode !== null && postalCode === null) {
    return fieldInvalid('address.postalCode', 'a postal code, or none');
  }
  const address: Address = { line1, line2, city, postalCode };
  if (!isCurrencyCode(input.billingCurrency))
    return fieldInvalid('billingCurrency', 'an ISO 4217 code, e.g. XOF');
  const billingEmail = input.billingEmail.trim();
  if (billingEmail.length > emailLengthMax || !emailPattern.test(billingEmail)) {
    return fieldInvalid('billingEmail', 'an e-mail address');
  }
  const billingPhone = input.billingPhone.replace(/[\s.()-]/g, '');
  if (!e164Pattern.test(billingPhone))
    return fieldInvalid('billingPhone', 'an international number, e.g. +221771234567');
  if (!timeZonePattern.test(input.timeZone))
    return fieldInvalid('timeZone', 'an IANA time zone, e.g. Africa/Dakar');
  const note = input.taxExemptionNote === null ? null : text(input.taxExemptionNote, noteLengthMax);
  if (input.taxExempt && note === null) {
    return fieldInvalid(
      'taxExemptionNote',
      'a tax-exempt tenant needs the exemption mention printed on invoices',
    );
  }
  if (!input.taxExempt && input.taxExemptionNote !== null) {
    return fieldInvalid('taxExemptionNote', 'only a tax-exempt tenant has an exemption mention');
  }
  if (
    !Number.isInteger(input.paymentTermsDays) ||
    input.paymentTermsDays < 0 ||
    input.paymentTermsDays > paymentTermsDaysMax
  ) {
    return fieldInvalid('paymentTermsDays', `a whole number of days from 0 to ${paymentTermsDaysMax}`);
  }
  if (!(preferredLanguages as readonly string[]).includes(input.preferredLanguage)) {
    return fieldInvalid('preferredLanguage', 'fr or en');
  }
  return {
    ok: true,
    details: {
      legalName,
      taxId,
      tradeRegisterNumber,
      address,
      country,
      billingCurrency: input.billingCurrency,
      billingEmail,
      billingPhone,
      timeZone: input.timeZone,
      taxExempt: input.taxExempt,
      taxExemptionNote: note,
      paymentTermsDays: input.paymentTermsDays,
      preferredLanguage: input.preferredLanguage as PreferredLanguage,
    },
  };
}

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState, TenantRefusalCode> = {
  initialState: initialTenantState,
  evolve: evolveTenant,
  decide: decideTenant,
};
