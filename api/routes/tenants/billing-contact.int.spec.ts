// Proves PATCH /api/v1/tenants/:tenantId/billing-contact through the real HTTP server on
// PostgreSQL: a tenant admin changes its own organisation's billing e-mail, phone and address (the
// stream and the read model follow), and nothing else — a legal name, NINEA or terms sent there is
// a 400 naming the field — while another tenant's id, auditors, accountants and anonymous callers
// are refused with a problem and no event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
let adminA: Caller;

beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a', 'Alpha SARL');
  await givenTenant(api, 'tenant-b', 'Beta SA');
  adminA = await api.signedIn('tenant_admin', 'tenant-a');
});
afterAll(async () => {
  await api.close();
});

const change = (caller: Caller, tenantId: string, payload: unknown, headers: Record<string, string> = {}) =>
  caller.inject({
    method: 'PATCH',
    url: `/api/v1/tenants/${tenantId}/billing-contact`,
    payload: payload as object,
    headers,
  });

describe("a tenant admin's billing contact", () => {
  it('changes its own e-mail, phone and address; the stream and the read model follow', async () => {
    const response = await change(adminA, 'tenant-a', {
      billingEmail: 'factures@alpha.example.test',
      billingPhone: '+221 77 000 11 22',
      address: { line1: '3 rue Carnot', line2: 'Immeuble B', city: 'Dakar', postalCode: null },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ events: [{ type: 'TenantDetailsUpdated' }], revision: '1' });

    const read = await adminA.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a' });
    expect(read.json().details).toMatchObject({
      legalName: 'Alpha SARL',
      billingEmail: 'factures@alpha.example.test',
      billingPhone: '+221770001122',
      address: { line1: '3 rue Carnot', line2: 'Immeuble B', city: 'Dakar', postalCode: null },
    });
    await api.project();
    const listed = await adminA.inject({ method: 'GET', url: '/api/v1/tenants' });
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        tenantId: 'tenant-a',
        details: expect.objectContaining({ billingEmail: 'factures@alpha.example.test' }),
      }),
    ]);
  });

  it('changes nothing but the contact: a legal name, NINEA or terms sent here is a 400 naming it', async () => {
    const before = await api.eventCount();
    for (const [field, value] of [
      ['legalName', 'Renamed SA'],
      ['taxId', '0099999992A2'],
      ['tradeRegisterNumber', 'SN-DKR-2099-B-1'],
      ['taxExempt', true],
      ['paymentTermsDays', 90],
      ['billingCurrency', 'EUR'],
    ] as const) {
      const response = await change(adminA, 'tenant-a', {
        billingEmail: 'x@alpha.example.test',
        [field]: value,
      });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().type).toBe('/api/problems/validation');
      expect(response.json().errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    }
    expect(await api.eventCount()).toBe(before);
    const read = await adminA.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a' });
    expect(read.json().details).toMatchObject({ legalName: 'Alpha SARL', paymentTermsDays: 15 });
  });

  it('refuses a bad e-mail with the field at fault, recording nothing', async () => {
    const before = await api.eventCount();
    const refused = await change(adminA, 'tenant-a', { billingEmail: 'compta@' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'tenant_field_invalid', field: 'billingEmail' });
    const invalid = await change(adminA, 'tenant-a', { billingEmail: 42, billingPhone: 'x'.repeat(33) });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['billingEmail', 'billingPhone']);
    expect(await api.eventCount()).toBe(before);
  });

  it("never reaches another tenant's contact, whatever id is sent", async () => {
    const before = await api.eventCount();
    const token = await api.withToken('tenant-a', ['tenants:read', 'tenants:contact']);
    for (const caller of [adminA, token]) {
      for (const tenantId of ['tenant-b', 'no-such-tenant']) {
        const response = await change(caller, tenantId, { billingEmail: 'pirate@example.test' });
        expect(response.statusCode, tenantId).toBe(404);
      }
    }
    expect(await api.eventCount()).toBe(before);
    const read = await (await api.signedIn('auditor')).inject({
      method: 'GET',
      url: '/api/v1/tenants/tenant-b',
    });
    expect(read.json().details.billingEmail).toBe('compta@almadies.example.test');
  });

  it('is refused to anonymous callers, auditors, accountants and tokens without tenants:contact', async () => {
    const before = await api.eventCount();
    const payload = { billingEmail: 'audit@alpha.example.test' };
    expect((await change(api.anonymous, 'tenant-a', payload)).statusCode).toBe(401);
    for (const caller of [
      await api.signedIn('auditor'),
      await api.signedIn('accountant'),
      await api.withToken('tenant-a', ['tenants:read']),
    ]) {
      const response = await change(caller, 'tenant-a', payload);
      expect(response.statusCode).toBe(403);
      expect(response.json().type).toBe('/api/problems/forbidden');
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('is open to the super-admin for any tenant, with If-Match and Idempotency-Key', async () => {
    const admin = await api.signedIn('superadmin');
    const stale = await change(admin, 'tenant-b', { billingPhone: '+221770009999' }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    const headers = { 'if-match': '"0"', 'idempotency-key': 'contact-b-1' };
    const first = await change(admin, 'tenant-b', { billingPhone: '+221770009999' }, headers);
    expect(first.statusCode).toBe(200);
    const again = await change(admin, 'tenant-b', { billingPhone: '+221770009999' }, headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const unchanged = await change(admin, 'tenant-b', { billingPhone: '+221 77 000 99 99' });
    expect(unchanged.statusCode).toBe(409);
    expect(unchanged.json().code).toBe('tenant_update_empty');
  });

  it('is in the OpenAPI document with the three contact fields only', async () => {
    const document = (await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(document.paths['/api/v1/tenants/{tenantId}/billing-contact'].patch).toBeDefined();
    const schema = document.components.schemas.BillingContactChange;
    expect(Object.keys(schema.properties).sort()).toEqual(['address', 'billingEmail', 'billingPhone']);
    expect(schema.additionalProperties).toBe(false);
  });
});
