// Proves the plan routes publish, version and retire plans through the plan decider, list and read
// them for every reader, and refuse invalid input, anonymous callers and roles without plans:write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.close();
});

const terms = (monthly: string) => ({
  name: 'Essentiel',
  trialDays: 14,
  pricing: {
    kind: 'list',
    prices: [{ interval: 'monthly', price: { amountMinor: monthly, currency: 'XOF' } }],
  },
  meters: [],
});

describe('plans', () => {
  it('publishes, versions, lists, reads and retires', async () => {
    const admin = await api.signedIn('superadmin');
    const published = await admin.inject({
      method: 'POST',
      url: '/api/v1/plans',
      payload: { planCode: 'essential', terms: terms('15000') },
    });
    expect(published.statusCode).toBe(201);
    expect(published.json().events).toEqual([{ type: 'PlanPublished' }]);
    const version = await admin.inject({
      method: 'POST',
      url: '/api/v1/plans/essential/versions',
      payload: { terms: terms('16000') },
    });
    expect(version.statusCode).toBe(201);
    const tenantAdmin = await api.signedIn('tenant_admin', 'some-tenant');
    const read = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/plans/essential' });
    expect(read.statusCode).toBe(200);
    expect(read.json().latest.version).toBe(2);
    expect(read.json().latest.pricing.prices[0].price.amountMinor).toBe('16000');
    const list = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/plans?search=essen' });
    expect(list.json().items.map((p: { planCode: string }) => p.planCode)).toEqual(['essential']);
    const retired = await admin.inject({
      method: 'POST',
      url: '/api/v1/plans/essential/retire',
      payload: {},
    });
    expect(retired.statusCode).toBe(200);
    const again = await admin.inject({ method: 'POST', url: '/api/v1/plans/essential/retire', payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('plan_retired');
  });

  it('rejects invalid terms with the field and records nothing', async () => {
    const admin = await api.signedIn('superadmin');
    const before = await api.eventCount();
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/plans',
      payload: { planCode: 'Bad Code', terms: { ...terms('-5'), trialDays: 1000 } },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['planCode', 'terms.trialDays']));
    expect(await api.eventCount()).toBe(before);
  });

  it('is refused to anonymous callers and to roles without plans:write', async () => {
    expect((await api.anonymous.inject({ method: 'GET', url: '/api/v1/plans' })).statusCode).toBe(401);
    const before = await api.eventCount();
    for (const role of ['accountant', 'auditor'] as const) {
      const user = await api.signedIn(role);
      const response = await user.inject({
        method: 'POST',
        url: '/api/v1/plans',
        payload: { planCode: 'pro', terms: terms('45000') },
      });
      expect(response.statusCode).toBe(403);
    }
    const token = await api.withToken('some-tenant', ['plans:read']);
    expect(
      (
        await token.inject({
          method: 'POST',
          url: '/api/v1/plans',
          payload: { planCode: 'pro', terms: terms('1') },
        })
      ).statusCode,
    ).toBe(403);
    expect(await api.eventCount()).toBe(before);
  });

  it('answers 404 for an unknown plan', async () => {
    const auditor = await api.signedIn('auditor');
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/plans/unknown' })).statusCode).toBe(404);
  });
});
