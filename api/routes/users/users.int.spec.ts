// Proves super-admins manage users through the API (create, list, read, change, disable, history)
// and that every other role, and an anonymous caller, is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi, testPassword } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.close();
});

describe('user management', () => {
  it('creates, lists, reads, changes and disables users', async () => {
    const admin = await api.signedIn('superadmin');
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'awa@example.test',
        password: testPassword,
        role: 'tenant_admin',
        tenantId: 'tenant-a',
      },
    });
    expect(created.statusCode).toBe(201);
    const { userId } = created.json();
    expect(created.json()).not.toHaveProperty('passwordHash');
    const duplicate = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'AWA@example.test', password: testPassword, role: 'auditor' },
    });
    expect(duplicate.statusCode).toBe(409);
    const list = await admin.inject({ method: 'GET', url: '/api/v1/users?role=tenant_admin&limit=10' });
    expect(list.json().items.map((u: { email: string }) => u.email)).toContain('awa@example.test');
    expect((await admin.inject({ method: 'GET', url: `/api/v1/users/${userId}` })).json().tenantId).toBe(
      'tenant-a',
    );
    const changed = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${userId}`,
      payload: { role: 'auditor', tenantId: null },
    });
    expect(changed.json()).toMatchObject({ role: 'auditor', tenantId: null });
    const disabled = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${userId}`,
      payload: { disabled: true },
    });
    expect(disabled.json().disabled).toBe(true);
    const signIn = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'awa@example.test', password: testPassword },
    });
    expect(signIn.statusCode).toBe(401);
    const history = await admin.inject({ method: 'GET', url: `/api/v1/users/${userId}/sign-ins` });
    expect(history.json().items[0]).toMatchObject({ succeeded: false, reason: 'disabled' });
  });

  it('rejects a tenant admin without a tenant and a short password', async () => {
    const admin = await api.signedIn('superadmin');
    const noTenant = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'x@example.test', password: testPassword, role: 'tenant_admin' },
    });
    expect(noTenant.statusCode).toBe(400);
    expect(noTenant.json().errors[0].field).toBe('tenantId');
    const short = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'y@example.test', password: 'short', role: 'auditor' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('password');
  });

  it('is for super-admins only', async () => {
    expect((await api.anonymous.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    for (const role of ['accountant', 'auditor'] as const) {
      const user = await api.signedIn(role);
      expect((await user.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
    }
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect(
      (await tenantAdmin.inject({ method: 'GET', url: '/api/v1/users?tenantId=tenant-a' })).statusCode,
    ).toBe(403);
  });

  it('answers 404 for an unknown user and 400 for an id that is not one', async () => {
    const admin = await api.signedIn('superadmin');
    expect(
      (await admin.inject({ method: 'GET', url: '/api/v1/users/00000000-0000-4000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    expect((await admin.inject({ method: 'GET', url: '/api/v1/users/not-a-uuid' })).statusCode).toBe(400);
  });
});
