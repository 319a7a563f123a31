// Proves the reaction "a paid past-due or suspended subscription is reinstated": a payment that
// settles a subscription's last overdue invoice reinstates it at once (a manual entry by an
// accountant, or a tenant admin's sandbox payment through its signed notification), exactly once
// whatever is replayed; a partial payment leaves it suspended; and one tenant's payment never
// reinstates another tenant's subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDefaultCatalog } from '../../../app/billing/catalog.ts';
import {
  loadSubscription,
  markOverdue,
  periodInvoiceId,
  startSubscription,
  suspendSubscription,
} from '../../../app/billing/subscriptions.ts';
import { testContext } from '../../../test/support/context.ts';
import { givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
const deps = () => ({ store: api.ledger.store });
const invoiceOf = (subscriptionId: string) => periodInvoiceId(subscriptionId, '2026-10-01');

/** A paid monthly subscription started on 1 October whose first invoice fell overdue on 20 October. */
async function givenPastDue(subscriptionId: string, tenantId: string) {
  const started = await startSubscription(
    deps(),
    {
      subscriptionId,
      tenantId,
      planCode: 'essential',
      interval: 'monthly',
      trial: false,
      today: '2026-10-01',
    },
    testContext(`start-${subscriptionId}`, { occurredAt: '2026-10-01T09:00:00.000Z' }),
  );
  if (!started.ok) throw new Error(started.refusal.code);
  const overdue = await markOverdue(
    deps(),
    { invoiceId: invoiceOf(subscriptionId), today: '2026-10-20' },
    testContext(`overdue-${subscriptionId}`, { occurredAt: '2026-10-20T09:00:00.000Z' }),
  );
  if (!overdue.ok) throw new Error(overdue.refusal.code);
}

beforeAll(async () => {
  api = await testApi({
    SANDBOX_PAYMENTS_ENABLED: 'true',
    SANDBOX_WEBHOOK_SECRET: 'sandbox-secret-for-tests-0123456789',
    PAYMENTS_PUBLIC_BASE_URL: 'https://ledger.example.test',
  });
  await publishDefaultCatalog(deps(), {}, testContext('catalog', { occurredAt: '2026-09-01T09:00:00.000Z' }));
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  await givenPastDue('sub-a', 'tenant-a');
  await givenPastDue('sub-b', 'tenant-b');
  await suspendSubscription(
    deps(),
    { subscriptionId: 'sub-b', today: '2026-11-10' },
    testContext('suspend-b'),
  );
  await api.project();
});
afterAll(async () => {
  await api.close();
});

const typeCount = async (type: string) => {
  const { rows } = await api.database.pool.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM ledger_events WHERE event_type = $1',
    [type],
  );
  return Number(rows[0]!.n);
};

async function amountDue(invoiceId: string): Promise<string> {
  const admin = await api.signedIn('superadmin');
  const invoice = await admin.inject({ method: 'GET', url: `/api/v1/invoices/${invoiceId}` });
  return invoice.json().amountDue.amountMinor as string;
}

const manual = (tenantId: string, amountMinor: string) => ({
  tenantId,
  method: 'bank_transfer',
  reference: 'VIR-REINSTATE',
  receivedOn: '2026-11-24',
  amount: { amountMinor, currency: 'XOF' },
  invoiceIds: [],
});

describe('a paid past-due subscription is reinstated', () => {
  it("reinstates a past-due subscription when a manual payment settles its last overdue invoice, once, and not another tenant's", async () => {
    expect((await loadSubscription(deps(), 'sub-a')).status).toBe('past_due');
    const due = await amountDue(invoiceOf('sub-a'));
    const accountant = await api.signedIn('accountant');
    const pay = () =>
      accountant.inject({
        method: 'POST',
        url: '/api/v1/payments/manual',
        payload: manual('tenant-a', due),
        headers: { 'idempotency-key': 'reinstate-a' },
      });
    const paid = await pay();
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().allocation.applied).toEqual([
      { invoiceId: invoiceOf('sub-a'), amount: { amountMinor: due, currency: 'XOF' } },
    ]);
    expect((await loadSubscription(deps(), 'sub-a')).status).toBe('active');
    expect((await loadSubscription(deps(), 'sub-b')).status).toBe('suspended');
    expect(await typeCount('SubscriptionReinstated')).toBe(1);
    const events = await api.eventCount();
    expect((await pay()).statusCode).toBe(201);
    expect(await api.eventCount()).toBe(events);
  });

  it('leaves a suspended subscription suspended after a partial payment, and reinstates it when a sandbox payment settles the rest', async () => {
    const accountant = await api.signedIn('accountant');
    const partial = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-b', '1000'),
    });
    expect(partial.statusCode, partial.body).toBe(201);
    expect((await loadSubscription(deps(), 'sub-b')).status).toBe('suspended');

    const rest = await amountDue(invoiceOf('sub-b'));
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-b');
    const started = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        tenantId: 'tenant-b',
        provider: 'sandbox',
        invoiceIds: [invoiceOf('sub-b')],
        amount: { amountMinor: rest, currency: 'XOF' },
      },
    });
    expect(started.statusCode, started.body).toBe(201);
    const approve = () =>
      api.anonymous.inject({
        method: 'POST',
        url: `/api/v1/sandbox/checkout/${started.json().providerSessionId}`,
        payload: { outcome: 'succeeded' },
      });
    expect((await approve()).statusCode).toBe(200);
    expect((await loadSubscription(deps(), 'sub-b')).status).toBe('active');
    expect(await typeCount('SubscriptionReinstated')).toBe(2);
    const events = await api.eventCount();
    expect((await approve()).statusCode).toBe(200);
    expect(await api.eventCount()).toBe(events);
  });

  it('reinstates nothing on a refused payment: bad input, no credentials, wrong role, another tenant', async () => {
    const before = await api.eventCount();
    const accountant = await api.signedIn('accountant');
    expect(
      (
        await accountant.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: { ...manual('tenant-a', '10'), receivedOn: '24/11/2026' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await api.anonymous.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-a', '10'),
        })
      ).statusCode,
    ).toBe(401);
    const auditor = await api.signedIn('auditor');
    expect(
      (
        await auditor.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-a', '10'),
        })
      ).statusCode,
    ).toBe(403);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const other = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        tenantId: 'tenant-b',
        provider: 'sandbox',
        invoiceIds: [invoiceOf('sub-b')],
        amount: { amountMinor: '10', currency: 'XOF' },
      },
    });
    expect(other.statusCode).toBe(404);
    expect(await api.eventCount()).toBe(before);
  });
});
