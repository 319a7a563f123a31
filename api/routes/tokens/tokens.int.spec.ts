// Proves API tokens are shown once, stored hashed, limited to their tenant and permissions, stop
// working when revoked, and that a tenant admin manages only its own tenant's tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
});
afterAll(async () => {
  await api.close();
});

describe('API tokens', () => {
  it('are shown once, stored hashed, scoped and revocable', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const created = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: {
        name: 'core product',
        tenantId: 'tenant-a',
        permissions: ['tenants:read', 'entitlements:read'],
      },
    });
    expect(created.statusCode).toBe(201);
    const { token, tokenId } = created.json();
    expect(token).toMatch(/^lgr_/);
    const { rows } = await api.database.pool.query<{ token_sha256: string }>(
      'SELECT token_sha256 FROM api_tokens',
    );
    expect(rows.some((r) => r.token_sha256.includes(token))).toBe(false);
    const listed = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/tokens' });
    expect(JSON.stringify(listed.json())).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a', headers: bearer })).statusCode,
    ).toBe(200);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/tenants/tenant-b', headers: bearer })).statusCode,
    ).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/plans', headers: bearer })).statusCode).toBe(
      403,
    );

    expect(
      (await tenantAdmin.inject({ method: 'DELETE', url: `/api/v1/tokens/${tokenId}` })).statusCode,
    ).toBe(204);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a', headers: bearer })).statusCode,
    ).toBe(401);
  });

  it('cannot be made for another tenant, nor with a permission the creator lacks', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const other = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', tenantId: 'tenant-b', permissions: ['tenants:read'] },
    });
    expect(other.statusCode).toBe(404);
    const beyond = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', tenantId: 'tenant-a', permissions: ['usage:write'] },
    });
    expect(beyond.statusCode).toBe(403);
    const invalid = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', tenantId: 'tenant-a', permissions: ['users:manage'] },
    });
    expect(invalid.statusCode).toBe(400);
  });

  it("cannot revoke another tenant's token", async () => {
    const admin = await api.signedIn('superadmin');
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'b', tenantId: 'tenant-b', permissions: ['usage:write'] },
    });
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const response = await tenantAdmin.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${created.json().tokenId}`,
    });
    expect(response.statusCode).toBe(404);
  });

  it('rejects a malformed or unknown bearer token, and refuses roles without tokens:manage', async () => {
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: '/api/v1/tokens',
          headers: { authorization: 'Bearer nope' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await api.anonymous.inject({ method: 'GET', url: '/api/v1/tokens' })).statusCode).toBe(401);
    const auditor = await api.signedIn('auditor');
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/tokens' })).statusCode).toBe(403);
  });
});
