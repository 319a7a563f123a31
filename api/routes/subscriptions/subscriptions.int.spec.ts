// Proves subscriptions start, preview and change plan, and cancel through the billing use cases;
// the core product reads entitlements with a service token; lists come from the read model; and
// a trial converts on demand with its first period invoiced once; and a tenant's callers never
// reach another tenant's subscription whatever id they send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenTenant, type TestApi, testApi } from '../../testing.ts';
import { subscriptionStreamName } from '../../../domain/subscription/subscription.ts';

let api: TestApi;
const plan = (name: string, monthly: string, trialDays = 14) => ({
  name,
  trialDays,
  pricing: {
    kind: 'list',
    prices: [{ interval: 'monthly', price: { amountMinor: monthly, currency: 'XOF' } }],
  },
  meters: [{ meter: 'tickets', includedQuantity: 1000, overage: null }],
});

beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  const admin = await api.signedIn('superadmin');
  for (const [code, terms] of [
    ['essential', plan('Essentiel', '15000')],
    ['pro', plan('Professionnel', '45000')],
  ] as const) {
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/plans',
      payload: { planCode: code, terms },
    });
    if (response.statusCode !== 201) throw new Error(response.body);
  }
});
afterAll(async () => {
  await api.close();
});

describe('subscriptions', () => {
  it('starts, previews and changes plan, grants entitlements, cancels', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const started = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-a', planCode: 'essential', interval: 'monthly', trial: false },
      headers: { 'idempotency-key': 'start-a' },
    });
    expect(started.statusCode, started.body).toBe(201);
    const { subscriptionId, invoices } = started.json();
    expect(invoices).toHaveLength(1);

    const beforePreview = await api.eventCount();
    const preview = await tenantAdmin.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${subscriptionId}/plan-change/preview`,
      payload: { planCode: 'pro', interval: 'monthly' },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ direction: 'upgrade', timing: 'immediately' });
    expect(await api.eventCount()).toBe(beforePreview);

    const changed = await tenantAdmin.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${subscriptionId}/plan-change`,
      payload: { planCode: 'pro', interval: 'monthly' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().timing).toBe('immediately');

    const service = await api.withToken('tenant-a', ['entitlements:read']);
    await api.project();
    const granted = await service.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a/entitlements' });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({ allowed: true, planCode: 'pro', subscriptionId });
    expect(
      (await service.inject({ method: 'GET', url: '/api/v1/tenants/tenant-b/entitlements' })).statusCode,
    ).toBe(404);
    const noneForB = await (await api.signedIn('superadmin')).inject({
      method: 'GET',
      url: '/api/v1/tenants/tenant-b/entitlements',
    });
    expect(noneForB.json()).toMatchObject({ allowed: false, reason: 'no_subscription' });

    const list = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/subscriptions' });
    expect(list.json().items.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([
      subscriptionId,
    ]);
    const one = await tenantAdmin.inject({ method: 'GET', url: `/api/v1/subscriptions/${subscriptionId}` });
    expect(one.json()).toMatchObject({ planCode: 'pro', tenantId: 'tenant-a' });

    const tenantB = await api.signedIn('tenant_admin', 'tenant-b');
    for (const [method, url] of [
      ['GET', `/api/v1/subscriptions/${subscriptionId}`],
      ['POST', `/api/v1/subscriptions/${subscriptionId}/plan-change/preview`],
      ['POST', `/api/v1/subscriptions/${subscriptionId}/cancel`],
    ] as const) {
      const response = await tenantB.inject({
        method,
        url,
        ...(method === 'POST'
          ? { payload: url.endsWith('cancel') ? {} : { planCode: 'essential', interval: 'monthly' } }
          : {}),
      });
      expect(response.statusCode, url).toBe(404);
    }

    const canceled = await tenantAdmin.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${subscriptionId}/cancel`,
      payload: { atPeriodEnd: true },
    });
    expect(canceled.statusCode, canceled.body).toBe(200);
    const withdrawn = await tenantAdmin.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${subscriptionId}/reactivate`,
      payload: {},
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().events).toEqual([{ type: 'SubscriptionCancellationWithdrawn' }]);
  });

  it('refuses invalid input, an unknown plan, and callers without subscriptions:write', async () => {
    const admin = await api.signedIn('superadmin');
    const invalid = await admin.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-b', planCode: 'essential', interval: 'weekly' },
    });
    expect(invalid.statusCode).toBe(400);
    const before = await api.eventCount();
    const unknown = await admin.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-b', planCode: 'gold', interval: 'monthly' },
    });
    expect(unknown.statusCode).toBe(409);
    expect(await api.eventCount()).toBe(before);
    expect(
      (await api.anonymous.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: {} })).statusCode,
    ).toBe(401);
    const accountant = await api.signedIn('accountant');
    const refused = await accountant.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-b', planCode: 'essential', interval: 'monthly' },
    });
    expect(refused.statusCode).toBe(403);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const otherTenant = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-b', planCode: 'essential', interval: 'monthly' },
    });
    expect(otherTenant.statusCode).toBe(404);
  });

  it('converts a trial now: the first period is invoiced once and the subscription is active', async () => {
    const admin = await api.signedIn('superadmin');
    const started = await admin.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { tenantId: 'tenant-b', planCode: 'essential', interval: 'monthly', trial: true },
    });
    expect(started.statusCode, started.body).toBe(201);
    const { subscriptionId, status, invoices } = started.json();
    expect({ status, invoices }).toEqual({ status: 'trialing', invoices: [] });
    const url = `/api/v1/subscriptions/${subscriptionId}/convert`;

    const before = await api.eventCount();
    const otherTenant = await (await api.signedIn('tenant_admin', 'tenant-a')).inject({
      method: 'POST',
      url,
      payload: {},
    });
    expect(otherTenant.statusCode).toBe(404);
    const accountant = await (await api.signedIn('accountant')).inject({ method: 'POST', url, payload: {} });
    expect(accountant.statusCode).toBe(403);
    expect(await api.eventCount()).toBe(before);

    const converted = await admin.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { 'idempotency-key': 'convert-b' },
    });
    expect(converted.statusCode, converted.body).toBe(200);
    const body = converted.json();
    expect(body.status).toBe('active');
    expect(body.invoices).toHaveLength(1);
    const invoiceId: string = body.invoices[0].invoiceId;
    const invoice = await admin.inject({ method: 'GET', url: `/api/v1/invoices/${invoiceId}` });
    expect(invoice.json()).toMatchObject({ status: 'issued', tenantId: 'tenant-b' });
    // The log says who converted it: the back office, not a paid invoice (it is still unpaid).
    const history = await api.ledger.store.readStream(subscriptionStreamName(subscriptionId));
    expect(history.find((e) => e.type === 'TrialConverted')?.data).toMatchObject({ trigger: 'operator' });

    const afterConversion = await api.eventCount();
    const retried = await admin.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { 'idempotency-key': 'convert-b' },
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().invoices).toEqual(body.invoices);
    expect(await api.eventCount()).toBe(afterConversion);
    const again = await admin.inject({ method: 'POST', url, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'subscription_not_trialing' });
  });
});
