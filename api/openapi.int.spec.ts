// Proves the OpenAPI document and the docs page are served, that every API route in it declares
// its responses with the problem schema, and that security headers and CORS follow the configuration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from './testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi({ CORS_ORIGINS: 'https://backoffice.example.test' });
});
afterAll(async () => {
  await api.close();
});

describe('the OpenAPI document', () => {
  it('lists every /api/v1 route with a problem response for errors', async () => {
    const response = await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/api/v1/tenants/{tenantId}');
    expect(paths).toContain('/api/health');
    for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(
      document.paths,
    )) {
      if (!path.startsWith('/api/v1')) continue;
      for (const operation of Object.values(operations)) {
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '500']));
      }
    }
  });

  it('is browsable at /api/docs', async () => {
    const response = await api.anonymous.inject({ method: 'GET', url: '/api/docs/' });
    expect([200, 302]).toContain(response.statusCode);
  });
});

describe('headers', () => {
  it('sets security headers and a request id', async () => {
    const response = await api.anonymous.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-request-id']).toBeDefined();
  });

  it('allows only the configured origins', async () => {
    const allowed = await api.anonymous.inject({
      method: 'OPTIONS',
      url: '/api/v1/plans',
      headers: { origin: 'https://backoffice.example.test', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://backoffice.example.test');
    const other = await api.anonymous.inject({
      method: 'OPTIONS',
      url: '/api/v1/plans',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'GET' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an unknown path with a 404 problem', async () => {
    const response = await api.anonymous.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('answers a body that is too large with 413 and one that is not JSON with 400', async () => {
    const user = await api.signedIn('superadmin');
    const large = await user.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ planCode: 'x'.repeat(2_000_000) }),
    });
    expect(large.statusCode).toBe(413);
    expect(large.json().type).toBe('/api/problems/payload-too-large');
    const broken = await user.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { 'content-type': 'application/json' },
      payload: '{"planCode": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().type).toBe('/api/problems/malformed-request');
  });
});

describe('an unexpected failure', () => {
  it('is a 500 problem with the request id and nothing about the cause', async () => {
    const broken = await testApi();
    try {
      await broken.database.pool.query('DROP TABLE api_sign_ins');
      const response = await broken.anonymous.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'a@example.test', password: 'whatever' },
        headers: { 'x-request-id': 'trace-me-42' },
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({ type: '/api/problems/internal', requestId: 'trace-me-42' });
      expect(response.body).not.toMatch(/api_sign_ins|relation|stack|at /);
    } finally {
      await broken.close();
    }
  });
});
