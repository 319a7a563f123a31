// Proves the tenant routes record the tenant events for the roles allowed to, refuse invalid input
// and other roles with a problem and no event, and never show one tenant to another's caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenTenant, type TestApi, tenantRegistration, testApi } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a', 'Alpha SARL');
  await givenTenant(api, 'tenant-b', 'Beta SA');
});
afterAll(async () => {
  await api.close();
});

describe('POST /api/v1/tenants', () => {
  it('registers a tenant and answers with the log position', async () => {
    const admin = await api.signedIn('superadmin');
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { details: tenantRegistration('Gamma SAS') },
      headers: { 'idempotency-key': 'register-gamma' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.events).toEqual([{ type: 'TenantRegistered' }]);
    expect(body.position).toMatch(/\d/);
    const again = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { details: tenantRegistration('Gamma SAS') },
      headers: { 'idempotency-key': 'register-gamma' },
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(body);
    const other = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { details: tenantRegistration('Delta SAS') },
      headers: { 'idempotency-key': 'register-gamma' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().type).toBe('/api/problems/idempotency-key-reused');
  });

  it('refuses a business rule with 409 and its code, recording nothing', async () => {
    const admin = await api.signedIn('superadmin');
    const before = await api.eventCount();
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { tenantId: 'tenant-a', details: tenantRegistration() },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      type: '/api/problems/business-rule',
      code: 'tenant_already_registered',
    });
    expect(await api.eventCount()).toBe(before);
  });

  it('rejects invalid input with the fields at fault', async () => {
    const admin = await api.signedIn('superadmin');
    const before = await api.eventCount();
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      payload: { details: { ...tenantRegistration(), paymentTermsDays: 'soon', extra: 1 } },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['details.paymentTermsDays']));
    expect(await api.eventCount()).toBe(before);
  });

  it('is refused without credentials and for roles that may not write', async () => {
    expect(
      (
        await api.anonymous.inject({
          method: 'POST',
          url: '/api/v1/tenants',
          payload: { details: tenantRegistration() },
        })
      ).statusCode,
    ).toBe(401);
    for (const role of ['auditor', 'accountant'] as const) {
      const user = await api.signedIn(role);
      const response = await user.inject({
        method: 'POST',
        url: '/api/v1/tenants',
        payload: { details: tenantRegistration() },
      });
      expect(response.statusCode).toBe(403);
    }
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect(
      (
        await tenantAdmin.inject({
          method: 'POST',
          url: '/api/v1/tenants',
          payload: { details: tenantRegistration() },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('reading tenants', () => {
  it('shows a tenant with its revision as ETag', async () => {
    const auditor = await api.signedIn('auditor');
    const response = await auditor.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.json()).toMatchObject({
      tenantId: 'tenant-a',
      status: 'active',
      details: { country: 'SN' },
    });
  });

  it('lists with search and a page limit', async () => {
    await api.project();
    const auditor = await api.signedIn('auditor');
    const page = await auditor.inject({ method: 'GET', url: '/api/v1/tenants?limit=1' });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().nextCursor).not.toBeNull();
    const next = await auditor.inject({
      method: 'GET',
      url: `/api/v1/tenants?limit=1&cursor=${page.json().nextCursor}`,
    });
    expect(next.json().items[0].tenantId).not.toBe(page.json().items[0].tenantId);
    const search = await auditor.inject({ method: 'GET', url: '/api/v1/tenants?search=beta' });
    expect(search.json().items.map((t: { tenantId: string }) => t.tenantId)).toEqual(['tenant-b']);
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/tenants?limit=5000' })).statusCode).toBe(400);
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/tenants?cursor=garbage' })).statusCode).toBe(
      400,
    );
  });

  it('keeps a tenant admin and a token to their own tenant whatever id they send', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const token = await api.withToken('tenant-a', ['tenants:read']);
    for (const caller of [tenantAdmin, token]) {
      expect((await caller.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a' })).statusCode).toBe(200);
      const other = await caller.inject({ method: 'GET', url: '/api/v1/tenants/tenant-b' });
      expect(other.statusCode).toBe(404);
      const list = await caller.inject({ method: 'GET', url: '/api/v1/tenants' });
      expect(list.json().items.map((t: { tenantId: string }) => t.tenantId)).toEqual(['tenant-a']);
      expect(
        (await caller.inject({ method: 'GET', url: '/api/v1/tenants?search=Beta' })).json().items,
      ).toEqual([]);
    }
  });

  it('answers 404 for an unknown tenant', async () => {
    const auditor = await api.signedIn('auditor');
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/tenants/nope' })).statusCode).toBe(404);
  });
});

describe('changing a tenant', () => {
  it('updates, suspends, reactivates; a stale If-Match is a 412', async () => {
    const admin = await api.signedIn('superadmin');
    await givenTenant(api, 'tenant-c');
    const update = await admin.inject({
      method: 'PATCH',
      url: '/api/v1/tenants/tenant-c',
      payload: { paymentTermsDays: 30 },
      headers: { 'if-match': '"0"' },
    });
    expect(update.statusCode).toBe(200);
    expect(update.json().revision).toBe('1');
    const stale = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants/tenant-c/suspend',
      payload: { reason: 'non_payment' },
      headers: { 'if-match': '"0"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe('/api/problems/stale-revision');
    const suspend = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants/tenant-c/suspend',
      payload: { reason: 'non_payment' },
      headers: { 'if-match': '"1"' },
    });
    expect(suspend.statusCode).toBe(200);
    const reactivate = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants/tenant-c/reactivate',
      payload: {},
    });
    expect(reactivate.json().events).toEqual([{ type: 'TenantReactivated' }]);
    const close = await admin.inject({
      method: 'POST',
      url: '/api/v1/tenants/tenant-c/close',
      payload: { reason: 'customer_request', note: 'moved' },
    });
    expect(close.statusCode).toBe(200);
  });
});
