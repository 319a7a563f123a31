// Proves the tenant decider: registration with defaults and normalised identifiers, updates that record only what changed, a tenant's own billing-contact change that carries nothing else, suspension, reactivation, closure, and its refusals in precedence order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCatalog } from '../events/catalog.ts';
import { fold } from '../shared/decider.ts';
import { spec } from '../shared/testing.ts';
import {
  type RegisterTenant,
  type TenantCommand,
  type TenantRegistrationInput,
  tenantDecider,
  tenantRefusalCodes,
} from './tenant.decide.ts';
import { type TenantEvent, tenantEventDefinitions } from './tenant.ts';

const now = '2026-01-05T09:00:00Z';
const later = '2026-02-05T09:00:00Z';
const tenantId = 'tnt_dakar_clinic';

const form: TenantRegistrationInput = {
  legalName: 'Clinique du Plateau SARL',
  taxId: '0012345 2G3',
  tradeRegisterNumber: 'SN-DKR-2020-B-12345',
  address: { line1: '12 avenue Léopold Sédar Senghor', city: 'Dakar' },
  country: 'SN',
  billingCurrency: 'XOF',
  billingEmail: 'compta@clinique-plateau.sn',
  billingPhone: '+221 77 123 45 67',
};

const register: RegisterTenant = { type: 'RegisterTenant', tenantId, details: form, now };

const registered: TenantEvent = {
  type: 'TenantRegistered',
  data: {
    tenantId,
    details: {
      legalName: 'Clinique du Plateau SARL',
      taxId: '00123452G3',
      tradeRegisterNumber: 'SN-DKR-2020-B-12345',
      address: { line1: '12 avenue Léopold Sédar Senghor', line2: null, city: 'Dakar', postalCode: null },
      country: 'SN',
      billingCurrency: 'XOF',
      billingEmail: 'compta@clinique-plateau.sn',
      billingPhone: '+221771234567',
      timeZone: 'Africa/Dakar',
      taxExempt: false,
      taxExemptionNote: null,
      paymentTermsDays: 15,
      preferredLanguage: 'fr',
    },
    registeredAt: now,
  },
};
const suspended: TenantEvent = {
  type: 'TenantSuspended',
  data: { tenantId, reason: 'non_payment', note: null, suspendedAt: later },
};
const closed: TenantEvent = {
  type: 'TenantClosed',
  data: { tenantId, reason: 'customer_request', note: null, closedAt: later },
};

describe('RegisterTenant', () => {
  it('registers with the defaults: Africa/Dakar, 15 days, French, not exempt; identifiers normalised', () => {
    spec(tenantDecider).given([]).when(register).thenEvents([registered]);
  });

  it('records a tax exemption with its mention', () => {
    const [event] = spec(tenantDecider)
      .given([])
      .when({
        ...register,
        details: {
          ...form,
          taxExempt: true,
          taxExemptionNote: 'Exonéré de TVA, convention d’établissement n° 42',
        },
      })
      .events();
    expect(event?.type === 'TenantRegistered' && event.data.details.taxExempt).toBe(true);
  });
});

describe('UpdateTenantDetails', () => {
  it('records only the fields whose value changed', () => {
    spec(tenantDecider)
      .given([registered])
      .when({
        type: 'UpdateTenantDetails',
        tenantId,
        changes: {
          billingEmail: 'factures@clinique-plateau.sn',
          paymentTermsDays: 15,
          preferredLanguage: 'en',
        },
        now: later,
      })
      .thenEvents([
        {
          type: 'TenantDetailsUpdated',
          data: {
            tenantId,
            changes: { billingEmail: 'factures@clinique-plateau.sn', preferredLanguage: 'en' },
            updatedAt: later,
          },
        },
      ]);
  });

  it('drops the exemption mention with the exemption', () => {
    const exempt: TenantEvent = {
      type: 'TenantDetailsUpdated',
      data: { tenantId, changes: { taxExempt: true, taxExemptionNote: 'Exonéré' }, updatedAt: now },
    };
    spec(tenantDecider)
      .given([registered, exempt])
      .when({ type: 'UpdateTenantDetails', tenantId, changes: { taxExempt: false }, now: later })
      .thenEvents([
        {
          type: 'TenantDetailsUpdated',
          data: { tenantId, changes: { taxExempt: false, taxExemptionNote: null }, updatedAt: later },
        },
      ]);
  });

  it('updates a suspended tenant too', () => {
    spec(tenantDecider)
      .given([registered, suspended])
      .when({ type: 'UpdateTenantDetails', tenantId, changes: { timeZone: 'Africa/Abidjan' }, now: later })
      .events();
  });
});

describe('ChangeBillingContact', () => {
  const change = (contact: object): TenantCommand =>
    ({ type: 'ChangeBillingContact', tenantId, contact, now: later }) as TenantCommand;

  it('records the new contact, normalised, as a details update of the fields that changed', () => {
    spec(tenantDecider)
      .given([registered])
      .when(
        change({
          billingEmail: ' factures@clinique-plateau.sn ',
          billingPhone: '+221 77 123 45 67',
          address: { line1: '3 rue Carnot', line2: null, city: 'Dakar', postalCode: '10200' },
        }),
      )
      .thenEvents([
        {
          type: 'TenantDetailsUpdated',
          data: {
            tenantId,
            changes: {
              address: { line1: '3 rue Carnot', line2: null, city: 'Dakar', postalCode: '10200' },
              billingEmail: 'factures@clinique-plateau.sn',
            },
            updatedAt: later,
          },
        },
      ]);
  });

  it('never carries a field outside the contact, whatever the command object holds', () => {
    const [event] = spec(tenantDecider)
      .given([registered])
      .when(change({ billingEmail: 'dg@clinique-plateau.sn', legalName: 'Autre Nom SA', taxExempt: true }))
      .events();
    expect(event?.type === 'TenantDetailsUpdated' && event.data.changes).toEqual({
      billingEmail: 'dg@clinique-plateau.sn',
    });
  });

  it('sees an address equal whatever the order of its keys (jsonb sorts them on the way back)', () => {
    const stored = registered.type === 'TenantRegistered' ? registered.data : null;
    const { line1, line2, city, postalCode } = stored!.details.address;
    const fromJsonb: TenantEvent = {
      type: 'TenantRegistered',
      data: { ...stored!, details: { ...stored!.details, address: { city, line1, line2, postalCode } } },
    };
    spec(tenantDecider)
      .given([fromJsonb])
      .when(change({ address: { line1, line2, city, postalCode } }))
      .thenRefuses('tenant_update_empty');
  });

  it('refuses a closed tenant, a bad e-mail, and a change that changes nothing', () => {
    spec(tenantDecider)
      .given([registered, closed])
      .when(change({ billingEmail: 'x@y.sn' }))
      .thenRefuses('tenant_closed');
    spec(tenantDecider)
      .given([registered, suspended])
      .when(change({ billingEmail: 'compta@' }))
      .thenRefuses('tenant_field_invalid', 'billingEmail');
    spec(tenantDecider)
      .given([registered])
      .when(change({ legalName: 'Autre Nom SA' }))
      .thenRefuses('tenant_update_empty');
  });
});

describe('suspend, reactivate, close', () => {
  it('suspends an active tenant', () => {
    spec(tenantDecider)
      .given([registered])
      .when({ type: 'SuspendTenant', tenantId, reason: 'non_payment', note: null, now: later })
      .thenEvents([suspended]);
  });

  it('reactivates a suspended tenant', () => {
    spec(tenantDecider)
      .given([registered, suspended])
      .when({ type: 'ReactivateTenant', tenantId, now: later })
      .thenEvents([{ type: 'TenantReactivated', data: { tenantId, reactivatedAt: later } }]);
    expect(
      fold(tenantDecider, [
        registered,
        suspended,
        { type: 'TenantReactivated', data: { tenantId, reactivatedAt: later } },
      ]).status,
    ).toBe('active');
  });

  it('closes a suspended tenant', () => {
    spec(tenantDecider)
      .given([registered, suspended])
      .when({ type: 'CloseTenant', tenantId, reason: 'customer_request', note: null, now: later })
      .thenEvents([closed]);
  });
});

describe('tenant refusals, from the top rule down', () => {
  const update = (changes: object): TenantCommand =>
    ({ type: 'UpdateTenantDetails', tenantId, changes, now: later }) as TenantCommand;
  const registerWith = (details: Partial<TenantRegistrationInput>): TenantCommand => ({
    ...register,
    details: { ...form, ...details },
  });
  // Each row breaks its rule and, where the command allows, the rules below it.
  const rows: [string, TenantEvent[], TenantCommand, string, string?][] = [
    ['tenant_not_found', [], update({ legalName: '' }), 'tenant_not_found'],
    ['tenant_already_registered', [registered], registerWith({ legalName: '' }), 'tenant_already_registered'],
    ['tenant_closed', [registered, closed], update({ legalName: '' }), 'tenant_closed'],
    [
      'tenant_closed (reactivate)',
      [registered, closed],
      { type: 'ReactivateTenant', tenantId, now },
      'tenant_closed',
    ],
    [
      'tenant_already_suspended',
      [registered, suspended],
      { type: 'SuspendTenant', tenantId, reason: 'bogus' as never, note: null, now },
      'tenant_already_suspended',
    ],
    [
      'tenant_not_suspended',
      [registered],
      { type: 'ReactivateTenant', tenantId, now },
      'tenant_not_suspended',
    ],
    ['legalName', [], registerWith({ legalName: '  ', country: 'XX' }), 'tenant_field_invalid', 'legalName'],
    ['country', [], registerWith({ country: 'XX', taxId: '?' }), 'tenant_field_invalid', 'country'],
    [
      'taxId (NINEA)',
      [],
      registerWith({ taxId: 'ABC', tradeRegisterNumber: '' }),
      'tenant_field_invalid',
      'taxId',
    ],
    [
      'tradeRegisterNumber',
      [],
      registerWith({ tradeRegisterNumber: '', billingEmail: 'x' }),
      'tenant_field_invalid',
      'tradeRegisterNumber',
    ],
    [
      'address.line1',
      [],
      registerWith({ address: { line1: ' ', city: '' } }),
      'tenant_field_invalid',
      'address.line1',
    ],
    [
      'address.city',
      [],
      registerWith({ address: { line1: 'Rue 1', city: '' }, billingCurrency: 'CFA' }),
      'tenant_field_invalid',
      'address.city',
    ],
    [
      'billingCurrency',
      [],
      registerWith({ billingCurrency: 'CFA', billingEmail: 'x' }),
      'tenant_field_invalid',
      'billingCurrency',
    ],
    [
      'billingEmail',
      [],
      registerWith({ billingEmail: 'compta@', billingPhone: '77 123' }),
      'tenant_field_invalid',
      'billingEmail',
    ],
    [
      'billingPhone',
      [],
      registerWith({ billingPhone: '77 123 45 67', timeZone: 'Dakar' }),
      'tenant_field_invalid',
      'billingPhone',
    ],
    [
      'timeZone',
      [],
      registerWith({ timeZone: 'dakar', taxExempt: true }),
      'tenant_field_invalid',
      'timeZone',
    ],
    [
      'taxExemptionNote missing',
      [],
      registerWith({ taxExempt: true, paymentTermsDays: -1 }),
      'tenant_field_invalid',
      'taxExemptionNote',
    ],
    [
      'taxExemptionNote without exemption',
      [],
      registerWith({ taxExemptionNote: 'Exonéré' }),
      'tenant_field_invalid',
      'taxExemptionNote',
    ],
    [
      'paymentTermsDays',
      [],
      registerWith({ paymentTermsDays: 121, preferredLanguage: 'wo' }),
      'tenant_field_invalid',
      'paymentTermsDays',
    ],
    [
      'preferredLanguage',
      [],
      registerWith({ preferredLanguage: 'wo' }),
      'tenant_field_invalid',
      'preferredLanguage',
    ],
    [
      'billingCurrency is fixed',
      [registered],
      update({ billingCurrency: 'EUR' }),
      'tenant_field_invalid',
      'billingCurrency',
    ],
    [
      'suspension reason',
      [registered],
      { type: 'SuspendTenant', tenantId, reason: 'bogus' as never, note: ' ', now },
      'tenant_field_invalid',
      'reason',
    ],
    [
      'suspension note',
      [registered],
      { type: 'SuspendTenant', tenantId, reason: 'other', note: ' ', now },
      'tenant_field_invalid',
      'note',
    ],
    [
      'tenant_update_empty',
      [registered],
      update({ billingPhone: '+221 77 123 45 67' }),
      'tenant_update_empty',
    ],
  ];

  it('covers every code of the vocabulary, in its order', () => {
    expect([...new Set(rows.map(([, , , code]) => code))]).toEqual([...tenantRefusalCodes]);
  });

  it.each(rows)('%s', (_name, history, command, code, field) => {
    spec(tenantDecider)
      .given(history)
      .when(command)
      .thenRefuses(code as never, field);
  });
});

describe('replay', () => {
  const catalog = new EventCatalog(tenantEventDefinitions);
  const command: fc.Arbitrary<TenantCommand> = fc.oneof(
    fc.constant(register),
    fc.constantFrom('fr', 'en').map((language) => ({
      type: 'UpdateTenantDetails' as const,
      tenantId,
      changes: { preferredLanguage: language as 'fr' | 'en' },
      now: later,
    })),
    fc.integer({ min: 0, max: 60 }).map((days) => ({
      type: 'UpdateTenantDetails' as const,
      tenantId,
      changes: { paymentTermsDays: days },
      now: later,
    })),
    fc.constant({
      type: 'SuspendTenant' as const,
      tenantId,
      reason: 'non_payment' as const,
      note: null,
      now: later,
    }),
    fc.constant({ type: 'ReactivateTenant' as const, tenantId, now: later }),
    fc.constant({
      type: 'CloseTenant' as const,
      tenantId,
      reason: 'other' as const,
      note: 'moved',
      now: later,
    }),
  );

  it('replaying the stored events of any history gives the same state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 15 }), (commands) => {
        let state = tenantDecider.initialState();
        const stored: TenantEvent[] = [];
        for (const c of commands) {
          const decision = tenantDecider.decide(c, state);
          if (!decision.ok) continue;
          for (const event of decision.events) {
            state = tenantDecider.evolve(state, event);
            const { data } = catalog.validate(event.type, JSON.parse(JSON.stringify(event.data)));
            stored.push({ type: event.type, data } as TenantEvent);
          }
        }
        expect(fold(tenantDecider, stored)).toEqual(state);
      }),
    );
  });
});
