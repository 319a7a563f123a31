// Proves the payment routes drive the payment flow: an online payment is started and its signed
// notification (raw body) records it once and pays the invoice; a forged one changes nothing;
// manual payments and refunds go through with the caller's key; a refund above what was paid is a
// 409; and no tenant reaches another's payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxNotification } from '../../../app/payments/sandbox.ts';
import { moneyOf } from '../../../domain/money/index.ts';
import { givenIssuedInvoice, givenTenant, type TestApi, testApi, testNow } from '../../testing.ts';

const webhookSecret = 'sandbox-secret-for-tests-0123456789';
let api: TestApi;
beforeAll(async () => {
  api = await testApi({
    SANDBOX_PAYMENTS_ENABLED: 'true',
    SANDBOX_WEBHOOK_SECRET: webhookSecret,
    PAYMENTS_PUBLIC_BASE_URL: 'https://ledger.example.test',
  });
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  await givenIssuedInvoice(api, { invoiceId: 'inv-a', tenantId: 'tenant-a', number: 'F-2026-000001' });
  await givenIssuedInvoice(api, { invoiceId: 'inv-c', tenantId: 'tenant-a', number: 'F-2026-000002' });
});
afterAll(async () => {
  await api.close();
});

const manual = (tenantId: string, amountMinor = '15000') => ({
  tenantId,
  method: 'bank_transfer',
  reference: 'VIR-2026-11-001',
  receivedOn: '2026-11-24',
  amount: { amountMinor, currency: 'XOF' },
  invoiceIds: [],
});

describe('online payments', () => {
  it('starts a sandbox payment for a tenant admin and records its signed notification once', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const started = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        tenantId: 'tenant-a',
        provider: 'sandbox',
        invoiceIds: ['inv-a'],
        amount: { amountMinor: '47200', currency: 'XOF' },
      },
      headers: { 'idempotency-key': 'pay-inv-a' },
    });
    expect(started.statusCode).toBe(201);
    const { paymentId, providerSessionId, paymentUrl, isSandbox } = started.json();
    expect(isSandbox).toBe(true);
    expect(paymentUrl).toContain('/sandbox/checkout/');

    const notification = buildSandboxNotification({
      webhookSecret,
      session: { providerSessionId, clientReference: paymentId },
      outcome: 'succeeded',
      amount: moneyOf('47200', 'XOF'),
      eventId: 'evt-1',
      transactionId: 'T-1',
      now: testNow,
    });
    const forged = await api.anonymous.inject({
      method: 'POST',
      url: '/api/v1/webhooks/sandbox',
      headers: { ...notification.headers, 'sandbox-signature': 't=1,v1=00' },
      payload: notification.rawBody,
    });
    expect(forged.statusCode).toBe(401);
    const before = await api.eventCount();
    const first = await api.anonymous.inject({
      method: 'POST',
      url: `/webhooks/payments/sandbox/${paymentId}`,
      headers: notification.headers,
      payload: notification.rawBody,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ outcome: 'recorded', paymentId });
    const afterFirst = await api.eventCount();
    expect(afterFirst).toBeGreaterThan(before);
    const again = await api.anonymous.inject({
      method: 'POST',
      url: '/api/v1/webhooks/sandbox',
      headers: notification.headers,
      payload: notification.rawBody,
    });
    expect(again.statusCode).toBe(200);
    expect(await api.eventCount()).toBe(afterFirst);
    const invoice = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/inv-a' });
    expect(invoice.json()).toMatchObject({ status: 'paid', amountDue: { amountMinor: '0' } });
  });

  it('refuses an unknown provider and a provider that is not configured', async () => {
    expect(
      (await api.anonymous.inject({ method: 'POST', url: '/api/v1/webhooks/paypal', payload: '{}' }))
        .statusCode,
    ).toBe(400);
    const wave = await api.anonymous.inject({
      method: 'POST',
      url: '/api/v1/webhooks/wave',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(wave.statusCode).toBeLessThan(500);
    expect(wave.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('does not start a payment for another tenant or a role without payments:initiate', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const payload = {
      tenantId: 'tenant-b',
      provider: 'sandbox',
      invoiceIds: ['inv-a'],
      amount: { amountMinor: '100', currency: 'XOF' },
    };
    expect((await tenantAdmin.inject({ method: 'POST', url: '/api/v1/payments', payload })).statusCode).toBe(
      404,
    );
    const auditor = await api.signedIn('auditor');
    expect((await auditor.inject({ method: 'POST', url: '/api/v1/payments', payload })).statusCode).toBe(403);
    const notPayable = await (await api.signedIn('accountant')).inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: { ...payload, tenantId: 'tenant-b' },
    });
    expect(notPayable.statusCode).toBe(409);
    expect(notPayable.json().code).toBe('invoice_not_payable');
  });
});

describe('the sandbox checkout', () => {
  it('records an approved sandbox payment once and refuses a session that is not a sandbox one', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const started = await tenantAdmin.inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: {
        tenantId: 'tenant-a',
        provider: 'sandbox',
        invoiceIds: ['inv-c'],
        amount: { amountMinor: '47200', currency: 'XOF' },
      },
    });
    const { providerSessionId, paymentId } = started.json();
    const approve = () =>
      api.anonymous.inject({
        method: 'POST',
        url: `/api/v1/sandbox/checkout/${providerSessionId}`,
        payload: { outcome: 'succeeded' },
      });
    const first = await approve();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'recorded', paymentId });
    const after = await api.eventCount();
    expect((await approve()).statusCode).toBe(200);
    expect(await api.eventCount()).toBe(after);
    const unknown = await api.anonymous.inject({
      method: 'POST',
      url: '/api/v1/sandbox/checkout/sbx-nothing',
      payload: { outcome: 'succeeded' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('manual payments and refunds', () => {
  it('records a manual payment, reads it, refunds part of it, refuses too much', async () => {
    const accountant = await api.signedIn('accountant');
    const recorded = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-a'),
      headers: { 'idempotency-key': 'manual-1' },
    });
    expect(recorded.statusCode).toBe(201);
    const { paymentId } = recorded.json();
    expect(recorded.json().allocation.credit).toEqual({ amountMinor: '15000', currency: 'XOF' });
    const read = await accountant.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}` });
    expect(read.json()).toMatchObject({
      status: 'succeeded',
      paid: { amountMinor: '15000', currency: 'XOF' },
    });
    const refund = await accountant.inject({
      method: 'POST',
      url: `/api/v1/payments/${paymentId}/refunds`,
      payload: { amount: { amountMinor: '5000', currency: 'XOF' }, reason: 'double billing' },
    });
    expect(refund.statusCode).toBe(201);
    const before = await api.eventCount();
    const tooMuch = await accountant.inject({
      method: 'POST',
      url: `/api/v1/payments/${paymentId}/refunds`,
      payload: { amount: { amountMinor: '50000', currency: 'XOF' }, reason: 'again' },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('refund_exceeds_paid');
    expect(await api.eventCount()).toBe(before);

    const tenantB = await api.signedIn('tenant_admin', 'tenant-b');
    expect((await tenantB.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}` })).statusCode).toBe(
      404,
    );
    const tokenB = await api.withToken('tenant-b', ['payments:read']);
    expect((await tokenB.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}` })).statusCode).toBe(
      404,
    );
    const tenantA = await api.withToken('tenant-a', ['payments:read']);
    expect((await tenantA.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}` })).statusCode).toBe(
      200,
    );
  });

  it('rejects a float amount with the field', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: { ...manual('tenant-a'), amount: { amountMinor: 150.5, currency: 'XOF' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('amount.amountMinor');
  });

  it('is refused to anonymous callers, auditors and tenant admins', async () => {
    expect(
      (
        await api.anonymous.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-a'),
        })
      ).statusCode,
    ).toBe(401);
    const auditor = await api.signedIn('auditor');
    expect(
      (await auditor.inject({ method: 'POST', url: '/api/v1/payments/manual', payload: manual('tenant-a') }))
        .statusCode,
    ).toBe(403);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect(
      (
        await tenantAdmin.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-a'),
        })
      ).statusCode,
    ).toBe(403);
  });
});
